// The reader's controls: the light/dark switch and a copy button on each code block.
// Both exist only with JavaScript; without it the page follows the system's scheme and
// code is copied by selecting it.
(function () {
  "use strict";

  // The theme's strings in the page's language (base.html puts them on <html>); the
  // English words when a string is missing. `{name}` in a string is filled from `values`.
  var strings = {};
  try {
    strings = JSON.parse(document.documentElement.getAttribute("data-dcr-strings") || "{}");
  } catch (e) {}
  function say(key, english, values) {
    var s = strings[key] || english;
    Object.keys(values || {}).forEach(function (k) {
      s = s.split("{" + k + "}").join(String(values[k]));
    });
    return s;
  }
  var KEY = "dcr-scheme";
  var root = document.documentElement;
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  // The scheme showing: the reader's choice (set in <head> before the first paint), or
  // the system's until they make one.
  function scheme() {
    return root.getAttribute("data-scheme") || (systemDark.matches ? "dark" : "light");
  }

  function label(button) {
    var text = scheme() === "dark" ? button.dataset.labelToLight : button.dataset.labelToDark;
    button.setAttribute("aria-label", text);
    button.title = text;
  }

  function setUpSwitch(button) {
    button.hidden = false;
    label(button);
    button.addEventListener("click", function () {
      var next = scheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-scheme", next);
      var meta = document.querySelector('meta[name="color-scheme"]');
      if (meta) meta.content = next;
      try {
        localStorage.setItem(KEY, next);
      } catch (e) {
        // Storage refused (private mode): the choice lasts for this page only.
      }
      label(button);
    });
    systemDark.addEventListener("change", function () {
      label(button);
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http: the older API still copies a selection.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function addCopyButton(pre) {
    var code = pre.querySelector("code") || pre;
    var wrap = document.createElement("div");
    wrap.className = "dcr-codeblock";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "dcr-copy";
    button.textContent = say("copy", "Copy");
    button.setAttribute("aria-label", say("copy_label", "Copy code"));
    var status = document.createElement("span");
    status.className = "dcr-sr-only";
    status.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      copyText(code.innerText.replace(/\n$/, "")).then(
        function () {
          button.textContent = say("copied", "Copied");
          status.textContent = say("code_copied", "Code copied");
        },
        function () {
          button.textContent = say("copy_failed", "Copy failed");
          status.textContent = say("copy_failed_status", "The code could not be copied");
        }
      );
      setTimeout(function () {
        button.textContent = say("copy", "Copy");
        status.textContent = "";
      }, 2000);
    });
    wrap.appendChild(button);
    wrap.appendChild(status);
  }

  document.querySelectorAll("[data-dcr-scheme-toggle]").forEach(setUpSwitch);
  document.querySelectorAll(".dcr-content pre").forEach(addCopyButton);
})();
