// Client-side search for dcrsite sites. No dependencies. The index
// (search-index.json, written at build time) is fetched on first use from the URL in
// this script's data-index attribute, which the build prefixes with the base path,
// so search works on any static host and under a sub-path.
(function () {
  "use strict";

  // The theme's strings in the page's language (strings.js, loaded first).
  var say = window.dcrSay;
  var script = document.currentScript;
  var indexUrl = script && script.getAttribute("data-index");
  var box = document.querySelector("[data-dcr-search]");
  if (!box || !indexUrl) return;
  // Page URLs in the index are root-relative without the base path: add it.
  var base = (script && script.getAttribute("data-root")) || indexUrl.replace(/search-index\.json$/, "");
  var input = box.querySelector("input");
  var list = box.querySelector("#dcr-search-results");
  var status = box.querySelector("#dcr-search-status");
  var pages = null;
  var loading = null;
  var MAX_RESULTS = 10;
  box.hidden = false;

  function load() {
    if (!loading) {
      loading = fetch(indexUrl)
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (data) {
          pages = data.pages.map(function (p) {
            p.tl = p.t.toLowerCase();
            p.xl = p.x.toLowerCase() + " " + p.w;
            p.hl = p.h.map(function (h) { return h[1].toLowerCase(); });
            return p;
          });
        })
        .catch(function () {
          loading = null;
          status.textContent = say("search_unavailable", "Search is unavailable.");
        });
    }
    return loading;
  }

  function terms(q) {
    return q.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function isWordStart(text, i) {
    return i === 0 || /[^a-z0-9]/.test(text.charAt(i - 1));
  }

  // Every term must occur somewhere; title matches weigh most, then headings, then text.
  // A title holding every term (or being the query) comes before pages that merely
  // mention the words often.
  function score(p, ts) {
    var total = 0;
    var heading = -1;
    var inTitle = 0;
    for (var i = 0; i < ts.length; i++) {
      var t = ts[i];
      var s = 0;
      var at = p.tl.indexOf(t);
      if (at >= 0) {
        s += isWordStart(p.tl, at) ? 20 : 8;
        inTitle++;
      }
      for (var h = 0; h < p.hl.length; h++) {
        var ha = p.hl[h].indexOf(t);
        if (ha >= 0) {
          s += isWordStart(p.hl[h], ha) ? 6 : 3;
          if (heading < 0 && at < 0) heading = h;
          break;
        }
      }
      var count = 0;
      var from = p.xl.indexOf(t);
      while (from >= 0 && count < 10) {
        count++;
        from = p.xl.indexOf(t, from + t.length);
      }
      s += count;
      if (s === 0) return null;
      total += s;
    }
    if (inTitle === ts.length) total += 50;
    if (p.tl === ts.join(" ")) total += 100;
    return { page: p, score: total, heading: heading };
  }

  function search(q) {
    var ts = terms(q);
    if (!ts.length || !pages) return { ts: ts, hits: [] };
    var hits = [];
    for (var i = 0; i < pages.length; i++) {
      var r = score(pages[i], ts);
      if (r) hits.push(r);
    }
    hits.sort(function (a, b) {
      // At equal scores, pages in the reader's language before untranslated ones.
      return b.score - a.score || (a.page.l ? 1 : 0) - (b.page.l ? 1 : 0) ||
        a.page.t.localeCompare(b.page.t);
    });
    return { ts: ts, hits: hits.slice(0, MAX_RESULTS) };
  }

  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Appends `text` to `el`, with the query terms wrapped in <mark> (as DOM nodes, so
  // page text can never become markup).
  function highlight(el, text, ts) {
    var re = new RegExp("(" + ts.map(escapeRegExp).join("|") + ")", "gi");
    var last = 0;
    text.replace(re, function (m, _g, at) {
      if (at > last) el.appendChild(document.createTextNode(text.slice(last, at)));
      var mark = document.createElement("mark");
      mark.textContent = m;
      el.appendChild(mark);
      last = at + m.length;
      return m;
    });
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }

  function excerpt(p, ts) {
    var lower = p.x.toLowerCase();
    var at = -1;
    for (var i = 0; i < ts.length && at < 0; i++) at = lower.indexOf(ts[i]);
    if (at < 0) return p.x.slice(0, 140) + (p.x.length > 140 ? "…" : "");
    var start = Math.max(0, at - 50);
    var end = Math.min(p.x.length, at + 110);
    return (start > 0 ? "…" : "") + p.x.slice(start, end) + (end < p.x.length ? "…" : "");
  }

  function render(result) {
    list.textContent = "";
    var q = input.value.trim();
    if (!q) {
      list.hidden = true;
      status.textContent = "";
      return;
    }
    if (!result.hits.length) {
      var none = document.createElement("li");
      none.className = "dcr-search__empty";
      none.textContent = say("no_results", "No results");
      list.appendChild(none);
    }
    result.hits.forEach(function (hit) {
      var p = hit.page;
      var li = document.createElement("li");
      li.className = "dcr-search__result";
      var a = document.createElement("a");
      var href = base + p.u.replace(/^\//, "");
      var title = p.t;
      if (hit.heading >= 0) {
        href += "#" + p.h[hit.heading][0];
        title = p.t + " › " + p.h[hit.heading][1];
      }
      a.href = href;
      var t = document.createElement("span");
      t.className = "dcr-search__title";
      highlight(t, title, result.ts);
      var x = document.createElement("span");
      x.className = "dcr-search__excerpt";
      highlight(x, excerpt(p, result.ts), result.ts);
      a.appendChild(t);
      if (p.l) {
        // A page not translated yet, shown in the default language: its words are
        // announced in their own language, and the reader sees which one.
        a.lang = p.l;
        var l = document.createElement("span");
        l.className = "dcr-search__lang";
        l.textContent = p.l;
        t.appendChild(document.createTextNode(" "));
        t.appendChild(l);
      }
      a.appendChild(x);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    var n = result.hits.length;
    status.textContent = n === 0 ? say("no_results", "No results")
      : n === 1 ? say("result_one", "1 result, use the arrow keys to choose")
      : say("results", "{n} results, use the arrow keys to choose", { n: n });
  }

  function update() {
    load().then(function () { render(search(input.value)); });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function close() {
    list.hidden = true;
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      var first = links()[0];
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === "Enter") {
      var top = links()[0];
      if (top) {
        e.preventDefault();
        top.click();
      }
    } else if (e.key === "Escape") {
      input.value = "";
      render({ ts: [], hits: [] });
    }
  });
  list.addEventListener("keydown", function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i >= 0 && i + 1 < all.length) {
      e.preventDefault();
      all[i + 1].focus();
    } else if (e.key === "ArrowUp" && i >= 0) {
      e.preventDefault();
      (i === 0 ? input : all[i - 1]).focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
      input.focus();
    }
  });
  box.addEventListener("focusout", function (e) {
    if (!box.contains(e.relatedTarget)) close();
  });
  input.addEventListener("focus", function () {
    if (input.value.trim() && list.childNodes.length) list.hidden = false;
  });
  // "/" focuses the search box, as on many documentation sites.
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !e.target.isContentEditable) {
      e.preventDefault();
      input.focus();
    }
  });
})();
