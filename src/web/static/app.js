// Paperboy's only script, loaded as an external file so the CSP can forbid inline script. It
// renders math with KaTeX as it comes into sight (raw LaTeX stays when KaTeX is absent); casts
// upvotes and saves papers to the "Saved" collection (fetch with the page's CSRF token; anonymous
// visitors go to the login page, which says why and brings them back); copies BibTeX; swaps a
// listing's filters, sorts and pages in without a reload; and adds the keyboard shortcuts
// (/ search, j/k move, u upvote, s save, ? help). Without it every feature still works as links
// and forms.
"use strict";
// Math is progressive: KaTeX (~270 KB of script) is fetched only when math comes into sight (a
// title, an open abstract or a comment holding a TeX delimiter within a screen of the viewport),
// and never before the load event, so it never delays the first render and a page whose visible
// part has no math costs no script at all; until then the raw LaTeX is shown. A card's abstract
// waiting in a closed <details> is typeset when it is opened. <html> carries the hashed asset URLs
// (data-katex-*) because the CSP forbids inline script. States on <html>: "math-pending" while
// the math in sight waits for KaTeX, then "katex-ready" (with the performance mark
// "paperboy-math") once it is typeset.
var MATH_DELIMITERS = [
  { left: "$$", right: "$$", display: true },
  { left: "\\[", right: "\\]", display: true },
  { left: "$", right: "$", display: false },
  { left: "\\(", right: "\\)", display: false }
];
var MATH_PATTERN = /\$|\\\(|\\\[/;

// Typesets an element once (marked data-typeset).
function typeset(element) {
  if (element.getAttribute("data-typeset") === "1") return;
  element.setAttribute("data-typeset", "1");
  window.renderMathInElement(element, { delimiters: MATH_DELIMITERS, throwOnError: false });
}

function mathReady() {
  var root = document.documentElement;
  root.classList.remove("math-pending");
  root.classList.add("katex-ready");
  if (window.performance && typeof window.performance.mark === "function") window.performance.mark("paperboy-math");
}

// Watches `targets`: those within a screen of the viewport load KaTeX (once) and are typeset; the
// others when they come near. `settled` runs once the first batch is typeset, or at once when
// none is in sight.
function typesetOnSight(root, targets, settled) {
  if (typeof window.IntersectionObserver !== "function") {
    withKatex(root, function () {
      for (var i = 0; i < targets.length; i++) typeset(targets[i]);
      settled(true);
    });
    return;
  }
  var first = true;
  var observer = new window.IntersectionObserver(function (entries) {
    var visible = [];
    for (var j = 0; j < entries.length; j++) {
      if (!entries[j].isIntersecting) continue;
      observer.unobserve(entries[j].target);
      visible.push(entries[j].target);
    }
    // The first callback reports every observed target, so the math in sight is known now.
    var isFirst = first;
    first = false;
    if (visible.length === 0) {
      if (isFirst) settled(false);
      return;
    }
    withKatex(root, function () {
      for (var k = 0; k < visible.length; k++) typeset(visible[k]);
      if (isFirst) settled(true);
      else mathReady();
    });
  }, { rootMargin: "100% 0px" });
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

// KaTeX's files load once per page view (the in-place listing navigation below keeps the page):
// 0 not asked for, 1 loading, 2 ready, -1 failed or absent (the raw LaTeX stays).
var katexState = 0;
var katexWaiting = [];

function withKatex(root, ready) {
  if (katexState === 2) return ready();
  if (katexState === -1) return root.classList.remove("math-pending");
  katexWaiting.push(ready);
  if (katexState === 1) return;
  katexState = 1;
  function begin() {
    loadKatex(root, function () {
      if (typeof window.renderMathInElement !== "function") {
        katexState = -1;
        root.classList.remove("math-pending");
        return;
      }
      katexState = 2;
      var waiting = katexWaiting;
      katexWaiting = [];
      for (var w = 0; w < waiting.length; w++) waiting[w]();
    });
  }
  // Scripts added before the load event would delay it; after it they cost the reader nothing.
  if (document.readyState === "complete") begin();
  else window.addEventListener("load", begin);
}

// Typesets the math of `scope` (the document, or a listing just swapped in) as it comes into sight.
function startMath(scope) {
  var root = document.documentElement;
  var urls = ["data-katex-css", "data-katex-js", "data-katex-autorender"];
  for (var u = 0; u < urls.length; u++) {
    if (!root.getAttribute(urls[u])) return;  // KaTeX is not installed: the raw LaTeX stays
  }
  var all = scope.querySelectorAll(".title, .abstract, .comment-body .math");
  var targets = [];
  for (var i = 0; i < all.length; i++) {
    var element = all[i];
    if (!MATH_PATTERN.test(element.textContent)) continue;
    var details = element.closest("details");
    if (details && !details.open) {
      // A closed abstract has no box to watch: it is typeset when the reader opens it.
      details.addEventListener("toggle", function (event) {
        var d = event.currentTarget;
        var inside = d.querySelector(".abstract");
        if (d.open && inside) withKatex(root, function () { typeset(inside); });
      });
      continue;
    }
    targets.push(element);
  }
  if (targets.length === 0) return;
  root.classList.add("math-pending");
  typesetOnSight(root, targets, function (typesetNow) {
    if (typesetNow) mathReady();
    else root.classList.remove("math-pending");
  });
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

// Upvote and save buttons, delegated from the document so cards swapped in later work too.
function vote(b, meta) {
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
}

function save(b, meta) {
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
}

// In-place listing navigation: the category chips, sort and view switches, period links and page
// numbers of a listing are plain links the server renders; with script, following one fetches
// that page and swaps its listing in without a reload (history and the back button kept). Any
// failure falls back to a normal page load.
var swapping = null;

function listingLink(a) {
  if (!a || !a.closest("section.listing")) return false;
  if (!a.closest("nav.filters, nav.switch, nav.periods, nav.pager, p.pager")) return false;
  if (a.origin !== window.location.origin || a.hasAttribute("download")) return false;
  return true;
}

function swapListing(url, push) {
  if (swapping) swapping.abort();
  var controller = typeof window.AbortController === "function" ? new window.AbortController() : null;
  swapping = controller;
  var section = document.querySelector("main section.listing");
  if (section) section.setAttribute("aria-busy", "true");
  fetch(url, { credentials: "same-origin", signal: controller ? controller.signal : undefined })
    .then(function (r) {
      if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("text/html") !== 0) throw new Error("not a page");
      return r.text().then(function (text) { return { text: text, url: r.url }; });
    })
    .then(function (page) {
      var doc = new DOMParser().parseFromString(page.text, "text/html");
      var fresh = doc.querySelector("main section.listing");
      var old = document.querySelector("main section.listing");
      if (!fresh || !old) throw new Error("not a listing");
      old.replaceWith(document.adoptNode(fresh));
      document.title = doc.title;
      if (push) window.history.pushState({ listing: true }, "", page.url);
      var heading = fresh.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
      if (push) fresh.scrollIntoView({ block: "start" });
      current = -1;
      document.documentElement.classList.add("listing-swapped");
      startMath(fresh);
    })
    .catch(function (e) {
      if (e && e.name === "AbortError") return;
      window.location.href = url;
    });
}

// Keyboard shortcuts (none while typing in a field): "/" search, j/k next and previous paper,
// u upvote, s save, ? the list of keys.
var current = -1;
var KEYS = [
  ["/", "Search"],
  ["j", "Next paper"],
  ["k", "Previous paper"],
  ["u", "Upvote the current paper"],
  ["s", "Save the current paper"],
  ["?", "Show these keys"]
];

function keysDialog() {
  var dialog = document.getElementById("keys-help");
  if (dialog) return dialog;
  dialog = document.createElement("dialog");
  dialog.id = "keys-help";
  dialog.setAttribute("aria-labelledby", "keys-help-h");
  var h = document.createElement("h2");
  h.id = "keys-help-h";
  h.textContent = "Keyboard shortcuts";
  dialog.appendChild(h);
  var dl = document.createElement("dl");
  for (var i = 0; i < KEYS.length; i++) {
    var dt = document.createElement("dt");
    var kbd = document.createElement("kbd");
    kbd.textContent = KEYS[i][0];
    dt.appendChild(kbd);
    var dd = document.createElement("dd");
    dd.textContent = KEYS[i][1];
    dl.appendChild(dt);
    dl.appendChild(dd);
  }
  dialog.appendChild(dl);
  var form = document.createElement("form");
  form.method = "dialog";
  var close = document.createElement("button");
  close.textContent = "Close";
  form.appendChild(close);
  dialog.appendChild(form);
  document.body.appendChild(dialog);
  return dialog;
}

function moveTo(index) {
  var cards = document.querySelectorAll("li.paper");
  if (cards.length === 0) return;
  index = Math.max(0, Math.min(cards.length - 1, index));
  var old = document.querySelector("li.paper.kb-current");
  if (old) old.classList.remove("kb-current");
  current = index;
  var card = cards[index];
  card.classList.add("kb-current");
  var link = card.querySelector(".title a");
  if (link) link.focus({ preventScroll: true });
  card.scrollIntoView({ block: "nearest" });
}

// The paper the keys act on: the current card, else the one holding focus, else the paper page's.
function currentPaper() {
  var card = document.querySelector("li.paper.kb-current");
  if (!card && document.activeElement) card = document.activeElement.closest("li.paper");
  return card || document.querySelector("article.paper-page");
}

function onKey(event, meta) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  var t = event.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var help = document.getElementById("keys-help");
  if (help && help.open) return;
  var key = event.key;
  if (key === "/") {
    var box = document.getElementById("q") || document.getElementById("quick-q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  } else if (key === "j" || key === "k") {
    var cards = document.querySelectorAll("li.paper");
    if (cards.length === 0) return;
    event.preventDefault();
    if (current < 0 || current >= cards.length || !cards[current].classList.contains("kb-current")) {
      var focused = document.activeElement ? document.activeElement.closest("li.paper") : null;
      current = focused ? Array.prototype.indexOf.call(cards, focused) : -1;
    }
    moveTo(current < 0 ? 0 : current + (key === "j" ? 1 : -1));
  } else if (key === "u" || key === "s") {
    var paper = currentPaper();
    if (!paper) return;
    var button = paper.querySelector(key === "u" ? "button.vote" : "button.save-toggle");
    if (!button && key === "s") {
      // A paper page saves through its collection form; a logged-out reader is asked to log in.
      var choice = paper.querySelector("form.save-form select");
      if (choice) {
        event.preventDefault();
        choice.focus();
        return;
      }
      if (!meta && paper.querySelector("button.vote")) {
        event.preventDefault();
        window.location.href = loginFor("save");
        return;
      }
    }
    if (!button) return;
    event.preventDefault();
    button.click();
  } else if (key === "?") {
    event.preventDefault();
    keysDialog().showModal();
  }
}

document.addEventListener("DOMContentLoaded", function () {
  startMath(document);
  setUpCopyButtons();
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener("click", function (event) {
    var b = event.target.closest ? event.target.closest("button.vote, button.save-toggle") : null;
    if (b) {
      if (b.classList.contains("vote")) vote(b, meta);
      else save(b, meta);
      return;
    }
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (!listingLink(a) || typeof window.DOMParser !== "function") return;
    event.preventDefault();
    swapListing(a.href, true);
  });
  window.addEventListener("popstate", function () {
    if (document.querySelector("main section.listing") && window.history.state && window.history.state.listing) {
      swapListing(window.location.href, false);
    } else if (document.documentElement.classList.contains("listing-swapped")) {
      window.location.reload();
    }
  });
  if (document.querySelector("main section.listing")) window.history.replaceState({ listing: true }, "");
  document.addEventListener("keydown", function (event) { onKey(event, meta); });
  var hint = document.querySelector(".keys-hint");
  if (hint) hint.hidden = false;
  // The search page's filters apply as soon as they change (the Search button stays for no script).
  var form = document.querySelector("form.searchform");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name !== "q" && form.q && form.q.value.trim() !== "" && form.requestSubmit) form.requestSubmit();
    });
  }
});
