/*
 * Contributors filter for the decred theme of dcrsite.
 *
 * Progressive enhancement: without JavaScript every card is shown and the filter
 * buttons stay hidden. With it, the buttons appear and show only the cards whose
 * data-group matches; the choice is kept in the URL as ?group=<id>.
 */
(function () {
  "use strict";

  // The theme's strings in the page's language (strings.js, loaded first).
  var say = window.dcrSay;

  var bar = document.querySelector("[data-dcr-filter]");
  var list = document.querySelector("[data-dcr-people]");
  if (!bar || !list) {
    return;
  }
  var status = document.querySelector("[data-dcr-filter-status]");
  var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-group]"));
  var cards = Array.prototype.slice.call(list.querySelectorAll("li[data-group]"));

  function known(group) {
    return buttons.some(function (b) {
      return b.getAttribute("data-group") === group;
    });
  }

  function apply(group, announce) {
    if (!known(group)) {
      group = "all";
    }
    var shown = 0;
    cards.forEach(function (card) {
      var visible = group === "all" || card.getAttribute("data-group") === group;
      card.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    var label = "";
    buttons.forEach(function (b) {
      var pressed = b.getAttribute("data-group") === group;
      b.setAttribute("aria-pressed", pressed ? "true" : "false");
      if (pressed) {
        label = b.firstChild ? b.firstChild.textContent.trim() : "";
      }
    });
    if (status && announce) {
      status.textContent = group === "all"
        ? say("showing_all", "Showing all {n} contributors.", { n: shown })
        : shown === 1 ? say("showing_one", "Showing 1 contributor in {group}.", { group: label })
        : say("showing", "Showing {n} contributors in {group}.", { n: shown, group: label });
    }
    return group;
  }

  function groupFromUrl() {
    var m = /[?&]group=([^&#]*)/.exec(window.location.search);
    return m ? decodeURIComponent(m[1]) : "all";
  }

  function remember(group) {
    if (!window.history || !window.history.replaceState || !window.URL) {
      return;
    }
    var url = new URL(window.location.href);
    if (group === "all") {
      url.searchParams.delete("group");
    } else {
      url.searchParams.set("group", group);
    }
    window.history.replaceState(null, "", url.toString());
  }

  bar.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-group]") : null;
    if (!button || !bar.contains(button)) {
      return;
    }
    remember(apply(button.getAttribute("data-group"), true));
  });

  apply(groupFromUrl(), false);
  bar.hidden = false;
})();
