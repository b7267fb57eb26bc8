// Markdown for user-written text (comments): CommonMark rendered by Debian's libcmark with raw HTML
// omitted (CMARK_OPT_SAFE is the default since cmark 0.29: HTML blocks and inline HTML become
// "<!-- raw HTML omitted -->"), then links restricted to http, https, mailto and same-site paths,
// images turned into plain links (no third-party fetches from our pages), and every link marked
// rel="nofollow ugc noopener". Output is safe to insert raw into a page. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace paperboy::web {

// Whether a link target may appear in rendered user text ("https://...", "/papers/...", "#x").
[[nodiscard]] bool is_safe_link(std::string_view url);

// Safe HTML for `markdown` (invalid UTF-8 is replaced, as cmark's VALIDATE_UTF8 does).
[[nodiscard]] std::string render_markdown(std::string_view markdown);

}  // namespace paperboy::web
