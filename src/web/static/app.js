// Paperboy's only script: renders math with KaTeX (raw LaTeX stays when KaTeX is absent) and casts
// upvotes and saves papers to the "Saved" collection (fetch with
// the page's CSRF token; anonymous visitors go to the login page, which says why and brings them
// back), and copies BibTeX. Loaded as an external file so the CSP can forbid inline script.
"use strict";
// Math is progressive: KaTeX (~270 KB of script) is fetched only when a title, an abstract or a
// comment holds a TeX delimiter, and only after the load event, so it never delays the first render; until then
// the raw LaTeX is shown. Cards near the viewport are typeset first and the rest as they scroll
// in. <html> carries the hashed asset URLs (data-katex-*) because the CSP forbids inline script.
// States on <html>: "math-pending" while KaTeX loads or the first cards are typeset, then
// "katex-ready" (with the performance mark "paperboy-math") once the visible math is typeset.
var MATH_DELIMITERS = [
  { left: "$$", right: "$$", display: true },
  { left: "\\[", right: "\\]", display: true },
  { left: "$", right: "$", display: false },
  { left: "\\(", right: "\\)", display: false }
];
var MATH_PATTERN = /\$|\\\(|\\\[/;

function typeset(element) {
  window.renderMathInElement(element, { delimiters: MATH_DELIMITERS, throwOnError: false });
}

function mathReady() {
  var root = document.documentElement;
  root.classList.remove("math-pending");
  root.classList.add("katex-ready");
  if (window.performance && typeof window.performance.mark === "function") window.performance.mark("paperboy-math");
}

// Typesets the targets near the viewport (within two screens) now and the others when they come
// near it; calls `done` once the first batch is typeset.
function typesetProgressively(targets, done) {
  if (typeof window.IntersectionObserver !== "function") {
    for (var i = 0; i < targets.length; i++) typeset(targets[i]);
    done();
    return;
  }
  var first = true;
  var observer = new window.IntersectionObserver(function (entries) {
    for (var j = 0; j < entries.length; j++) {
      if (!entries[j].isIntersecting) continue;
      observer.unobserve(entries[j].target);
      typeset(entries[j].target);
    }
    // The first callback reports every observed target, so the visible ones are now typeset.
    if (first) {
      first = false;
      done();
    }
  }, { rootMargin: "200% 0px" });
  for (var k = 0; k < targets.length; k++) observer.observe(targets[k]);
}

// Appends KaTeX's stylesheet and scripts (run in order: KaTeX, then auto-render); calls `onload`
// once all have loaded, so math is never shown half styled. On a failure the raw LaTeX stays.
// The stylesheet is here rather than a <link> in the layout because there it held up
// DOMContentLoaded (deferred app.js waits for it): measured cold, ~25 ms earlier load event.
function loadKatex(root, onload) {
  var pending = 0;
  var failed = false;
  function finished(ok) {
    if (failed) return;
    if (!ok) {
      failed = true;
      root.classList.remove("math-pending");
      return;
    }
    if (--pending === 0) onload();
  }
  function add(element) {
    pending++;
    element.onload = function () { finished(true); };
    element.onerror = function () { finished(false); };
    document.head.appendChild(element);
  }
  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = root.getAttribute("data-katex-css");
  add(link);
  var urls = [root.getAttribute("data-katex-js"), root.getAttribute("data-katex-autorender")];
  for (var i = 0; i < urls.length; i++) {
    var script = document.createElement("script");
    script.async = false;  // dynamically inserted scripts then run in insertion order
    script.src = urls[i];
    add(script);
  }
}

function startMath() {
  var root = document.documentElement;
  var urls = ["data-katex-css", "data-katex-js", "data-katex-autorender"];
  for (var u = 0; u < urls.length; u++) {
    if (!root.getAttribute(urls[u])) return;  // KaTeX is not installed: the raw LaTeX stays
  }
  // A card's abstract waits in a closed <details>, which has no box to observe: the card (title and
  // abstract together) is what is watched and typeset.
  // Comments carry math the server marked (web/markdown.h): only those spans are typeset, so a
  // price like "$5" in a comment stays text.
  var all = document.querySelectorAll(".title, .abstract, .comment-body .math");
  var targets = [];
  for (var i = 0; i < all.length; i++) {
    if (!MATH_PATTERN.test(all[i].textContent)) continue;
    var target = all[i].closest("li.paper") || all[i];
    if (targets.indexOf(target) < 0) targets.push(target);
  }
  if (targets.length === 0) return;
  root.classList.add("math-pending");
  function begin() {
    loadKatex(root, function () {
      if (typeof window.renderMathInElement !== "function") {
        root.classList.remove("math-pending");
        return;
      }
      typesetProgressively(targets, mathReady);
    });
  }
  // Scripts added before the load event would delay it; after it they cost the reader nothing.
  if (document.readyState === "complete") begin();
  else window.addEventListener("load", begin);
}

// The login page for a logged-out action: it says why ("upvote", "save") and returns here.
function loginFor(why) {
  return "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search) + "&why=" + why;
}

// "Copy BibTeX" buttons (hidden without script; the download link works everywhere).
function setUpCopyButtons() {
  var buttons = document.querySelectorAll("button.copy-bibtex");
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", function (event) {
      var b = event.currentTarget;
      var source = document.getElementById(b.getAttribute("data-copy"));
      var status = b.parentNode.querySelector(".copy-status");
      navigator.clipboard.writeText(source.textContent).then(function () {
        if (status) status.textContent = "Copied";
      }, function () {
        if (status) status.textContent = "Copying failed: use the download link";
      });
    });
  }
}

document.addEventListener("DOMContentLoaded", function () {
  startMath();
  setUpCopyButtons();
  var meta = document.querySelector('meta[name="csrf-token"]');
  var votes = document.querySelectorAll("button.vote");
  for (var k = 0; k < votes.length; k++) {
    votes[k].addEventListener("click", function (event) {
      var b = event.currentTarget;
      if (!meta) {
        window.location.href = loginFor("upvote");
        return;
      }
      var voted = b.getAttribute("aria-pressed") === "true";
      fetch("/api/papers/" + encodeURIComponent(b.getAttribute("data-paper")) + "/upvote", {
        method: voted ? "DELETE" : "POST",
        headers: { "X-CSRF-Token": meta.getAttribute("content") },
        credentials: "same-origin"
      }).then(function (r) { return r.json(); }).then(function (body) {
        if (typeof body.upvotes !== "number") return;
        b.querySelector(".votes").textContent = String(body.upvotes);
        b.setAttribute("aria-pressed", body.voted ? "true" : "false");
        b.classList.toggle("voted", body.voted);
      });
    });
  }
  var saves = document.querySelectorAll("button.save-toggle");
  for (var m = 0; m < saves.length; m++) {
    saves[m].addEventListener("click", function (event) {
      var b = event.currentTarget;
      if (!meta) {
        window.location.href = loginFor("save");
        return;
      }
      var id = b.getAttribute("data-paper");
      var saved = b.getAttribute("aria-pressed") === "true";
      fetch(saved ? "/api/collections/saved/papers/" + encodeURIComponent(id) : "/api/collections/saved/papers", {
        method: saved ? "DELETE" : "POST",
        headers: { "X-CSRF-Token": meta.getAttribute("content"), "Content-Type": "application/json" },
        body: saved ? undefined : JSON.stringify({ id: id }),
        credentials: "same-origin"
      }).then(function (r) { return r.json(); }).then(function (body) {
        if (typeof body.saved !== "boolean") return;
        b.setAttribute("aria-pressed", body.saved ? "true" : "false");
        b.classList.toggle("saved", body.saved);
        b.textContent = body.saved ? "Saved" : "Save";
      });
    });
  }
});
