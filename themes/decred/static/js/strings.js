// The theme's strings in the page's language, for the theme's other scripts (loaded
// first, before them). base.html puts the strings on <html>; `dcrSay(key, english,
// values)` gives the string for `key`, the English words when it is missing, with each
// `{name}` filled from `values`.
(function () {
  "use strict";
  var strings = {};
  try {
    strings = JSON.parse(document.documentElement.getAttribute("data-dcr-strings") || "{}");
  } catch (e) {}
  window.dcrSay = function (key, english, values) {
    var s = strings[key] || english;
    Object.keys(values || {}).forEach(function (k) {
      s = s.split("{" + k + "}").join(String(values[k]));
    });
    return s;
  };
})();
