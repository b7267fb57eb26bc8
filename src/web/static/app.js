// Paperboy's only script: renders math with KaTeX (raw LaTeX stays when KaTeX is absent) and
// toggles clamped abstracts, casts upvotes and saves papers to the "Saved" collection (fetch with
// the page's CSRF token; anonymous visitors go to the login page). Loaded as an external file so the CSP can forbid inline script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof window.renderMathInElement === "function") {
    var targets = document.querySelectorAll(".title, .abstract");
    for (var i = 0; i < targets.length; i++) {
      window.renderMathInElement(targets[i], {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "\\[", right: "\\]", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false }
        ],
        throwOnError: false
      });
    }
    document.documentElement.classList.add("katex-ready");
  }
  var buttons = document.querySelectorAll("button.more");
  for (var j = 0; j < buttons.length; j++) {
    var button = buttons[j];
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target || target.scrollHeight <= target.clientHeight + 2) {
      button.hidden = true;
      continue;
    }
    button.addEventListener("click", function (event) {
      var b = event.currentTarget;
      var abs = document.getElementById(b.getAttribute("aria-controls"));
      var open = b.getAttribute("aria-expanded") === "true";
      b.setAttribute("aria-expanded", open ? "false" : "true");
      b.textContent = open ? "Show full abstract" : "Show less";
      abs.classList.toggle("clamp", open);
    });
  }
  var meta = document.querySelector('meta[name="csrf-token"]');
  var votes = document.querySelectorAll("button.vote");
  for (var k = 0; k < votes.length; k++) {
    votes[k].addEventListener("click", function (event) {
      var b = event.currentTarget;
      if (!meta) {
        window.location.href = "/login";
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
        window.location.href = "/login";
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
