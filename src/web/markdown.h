// Markdown for user-written text (comments): CommonMark rendered by Debian's libcmark with raw HTML
// omitted (CMARK_OPT_SAFE is the default since cmark 0.29: HTML blocks and inline HTML become
// "<!-- raw HTML omitted -->"), then links restricted to http, https, mailto and same-site paths,
// images turned into plain links (no third-party fetches from our pages), and every link marked
// rel="nofollow ugc noopener". TeX math ($...$ inline, $$...$$ display) is set aside before cmark
// parses the text, so its underscores and asterisks never become emphasis, and comes back escaped
// as <span class="math">\(...\)</span> (display: class "math display", \[...\]) for KaTeX to
// typeset in the browser. Output is safe to insert raw into a page. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperboy::web {

// Whether a link target may appear in rendered user text ("https://...", "/papers/...", "#x").
[[nodiscard]] bool is_safe_link(std::string_view url);

// The markdown with every math span replaced by a placeholder, and the spans' TeX (with their
// delimiters) in order. Code spans and fenced code blocks keep their dollars. A `$` opens inline
// math only when the next character is not a space and closes it only when the previous one is
// not a space and the next is not a digit (so "$5 and $10" stays text, as in Pandoc); `\$` is a
// literal dollar.
struct MathSpans {
  std::string text;
  std::vector<std::string> spans;
};
[[nodiscard]] MathSpans set_math_aside(std::string_view markdown);

// Safe HTML for `markdown` (invalid UTF-8 is replaced, as cmark's VALIDATE_UTF8 does).
[[nodiscard]] std::string render_markdown(std::string_view markdown);

}  // namespace paperboy::web
