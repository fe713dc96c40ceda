// The reader's controls: the colour scheme switch, a copy button on each code block, and
// the link back to the top. They exist only with JavaScript; without it the page follows
// the system's scheme and code is copied by selecting it.
(function () {
  "use strict";

  // The theme's strings in the page's language (strings.js, loaded first).
  var say = window.dcrSay;
  var KEY = "dcr-scheme";
  var PALETTE_KEY = "dcr-palette";
  var root = document.documentElement;
  var data = document.getElementById("dcr-palette");
  var palette = data ? JSON.parse(data.textContent) : [];

  function stored() {
    try {
      var i = localStorage.getItem(PALETTE_KEY);
      return i !== null && palette[+i] ? +i : -1;
    } catch (e) {
      return -1;
    }
  }

  // The scheme showing: the reader's choice, else the first whose media query matches
  // (the same rule as the script in <head>, which applied it before the first paint).
  function current() {
    var i = stored();
    if (i >= 0) return i;
    for (var j = 0; j < palette.length; j++) {
      if (palette[j].media && window.matchMedia(palette[j].media).matches) return j;
    }
    return 0;
  }

  function apply(i, chosen) {
    var p = palette[i];
    root.setAttribute("data-md-color-scheme", p.scheme);
    ["primary", "accent"].forEach(function (key) {
      if (p[key]) root.setAttribute("data-md-color-" + key, p[key]);
      else root.removeAttribute("data-md-color-" + key);
    });
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (chosen || !p.media) {
      var scheme = p.dark ? "dark" : "light";
      root.setAttribute("data-scheme", scheme);
      if (meta) meta.content = scheme;
    } else {
      root.removeAttribute("data-scheme");
      if (meta) meta.content = "light dark";
    }
  }

  // The switch says what a click does while scheme `i` shows, in the palette's words,
  // with its icon when the palette names one (else the theme's moon or sun).
  function label(button, i) {
    var text = button.querySelector('[data-dcr-scheme-label="' + i + '"]');
    text = text ? text.textContent : "";
    button.setAttribute("aria-label", text);
    button.title = text;
    var own = false;
    button.querySelectorAll("[data-dcr-scheme-icon]").forEach(function (icon) {
      icon.hidden = icon.getAttribute("data-dcr-scheme-icon") !== String(i);
      own = own || !icon.hidden;
    });
    button.querySelector(".dcr-scheme-toggle__icon").hidden = own;
  }

  function setUpSwitch(button) {
    button.hidden = false;
    label(button, current());
    button.addEventListener("click", function () {
      var next = (current() + 1) % palette.length;
      apply(next, true);
      try {
        localStorage.setItem(PALETTE_KEY, String(next));
        localStorage.setItem(KEY, palette[next].dark ? "dark" : "light");
      } catch (e) {
        // Storage refused (private mode): the choice lasts for this page only.
      }
      label(button, next);
    });
    // Until the reader chooses, the scheme follows the system's as it changes.
    palette.forEach(function (p) {
      if (!p.media) return;
      window.matchMedia(p.media).addEventListener("change", function () {
        if (stored() >= 0) return;
        apply(current(), false);
        label(button, current());
      });
    });
  }

  // `navigation.top`: the link back up shows once the reader is a screen down.
  function setUpTop(link) {
    var update = function () {
      link.hidden = window.scrollY < window.innerHeight;
    };
    window.addEventListener("scroll", update, { passive: true });
    update();
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

  if (palette.length > 1) {
    document.querySelectorAll("[data-dcr-scheme-toggle]").forEach(setUpSwitch);
  }
  document.querySelectorAll("[data-dcr-top]").forEach(setUpTop);
  if (document.body.hasAttribute("data-dcr-code-copy")) {
    document.querySelectorAll(".dcr-content pre").forEach(addCopyButton);
  }
})();
