// Paperboy's only script: renders math with KaTeX (raw LaTeX stays when KaTeX is absent) and
// toggles clamped abstracts. Loaded as an external file so the CSP can forbid inline script.
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
});
