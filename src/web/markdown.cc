#include "web/markdown.h"

#include <cmark.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "web/html.h"

namespace paperboy::web {
namespace {

// Placeholders are U+E000 <index> U+E001: private-use characters that cmark passes through as
// text and that user input cannot bring (set_math_aside replaces them first).
constexpr std::string_view kMathOpen = "\xEE\x80\x80";
constexpr std::string_view kMathClose = "\xEE\x80\x81";

// Where the math closing a span opened at `open` (just after its delimiter) ends, or npos.
size_t closing_dollar(std::string_view s, size_t open, bool is_display) {
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;  // \$ and \\ inside math are TeX's
      continue;
    }
    // A blank line ends the paragraph: no math spans paragraphs.
    if (c == '\n' && i + 1 < s.size() && s.find_first_not_of(" \t", i + 1) != std::string_view::npos &&
        s[s.find_first_not_of(" \t", i + 1)] == '\n') {
      return std::string_view::npos;
    }
    if (c != '$') continue;
    if (is_display) {
      if (i + 1 < s.size() && s[i + 1] == '$') return i;
      continue;
    }
    if (i == open) return std::string_view::npos;  // "$$" handled by the caller
    bool after_space = s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n';
    bool before_digit = i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0;
    if (!after_space && !before_digit) return i;
  }
  return std::string_view::npos;
}

std::string math_html(const std::string& tex) {
  bool is_display = tex.starts_with("$$");
  size_t cut = is_display ? 2 : 1;
  std::string inner = escape_html(std::string_view(tex).substr(cut, tex.size() - 2 * cut));
  return is_display ? "<span class=\"math display\">\\[" + inner + "\\]</span>"
                    : "<span class=\"math\">\\(" + inner + "\\)</span>";
}

// Puts the math spans back into cmark's HTML.
std::string restore_math(std::string_view html, const std::vector<std::string>& spans) {
  std::string out;
  for (size_t pos = 0;;) {
    size_t at = html.find(kMathOpen, pos);
    if (at == std::string_view::npos) {
      out.append(html.substr(pos));
      return out;
    }
    out.append(html.substr(pos, at - pos));
    size_t end = html.find(kMathClose, at);
    size_t index = 0;
    bool ok = end != std::string_view::npos;
    for (size_t i = at + kMathOpen.size(); ok && i < end; ++i) {
      ok = std::isdigit(static_cast<unsigned char>(html[i])) != 0;
      index = index * 10 + static_cast<size_t>(html[i] - '0');
    }
    ok = ok && end > at + kMathOpen.size() && index < spans.size();
    if (ok) {
      out.append(math_html(spans[index]));
      pos = end + kMathClose.size();
    } else {
      pos = at + kMathOpen.size();  // not ours (cannot happen: input placeholders are replaced)
    }
  }
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Replaces every image with a link to the same (checked) target holding the image's alt text.
void images_to_links(cmark_node* root) {
  std::vector<cmark_node*> images;
  cmark_iter* it = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE) images.push_back(n);
  }
  cmark_iter_free(it);
  for (cmark_node* image : images) {
    cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
    const char* url = cmark_node_get_url(image);
    cmark_node_set_url(link, url != nullptr ? url : "");
    while (cmark_node* child = cmark_node_first_child(image)) {
      cmark_node_unlink(child);
      cmark_node_append_child(link, child);
    }
    cmark_node_replace(image, link);
    cmark_node_free(image);
  }
}

// An attribute (link destination or title) gets back the source text of any math placeholder
// in it: math is typeset in text only, never inside an attribute.
std::string unplace_math(std::string_view s, const std::vector<std::string>& spans) {
  std::string out;
  for (size_t pos = 0;;) {
    size_t at = s.find(kMathOpen, pos);
    size_t end = at == std::string_view::npos ? at : s.find(kMathClose, at);
    if (end == std::string_view::npos) {
      out.append(s.substr(pos));
      return out;
    }
    out.append(s.substr(pos, at - pos));
    std::string_view digits = s.substr(at + kMathOpen.size(), end - at - kMathOpen.size());
    size_t index = 0;
    bool ok = !digits.empty() && digits.size() < 10;
    for (char d : digits) {
      ok = ok && std::isdigit(static_cast<unsigned char>(d)) != 0;
      index = index * 10 + static_cast<size_t>(d - '0');
    }
    // Not a placeholder of ours (cannot happen: set_math_aside replaces input placeholders).
    out.append(ok && index < spans.size() ? std::string_view(spans[index]) : std::string_view("\xEF\xBF\xBD"));
    pos = end + kMathClose.size();
  }
}

// Math is typeset in text only: code (spans, blocks and their info strings, which become a class
// attribute) and raw HTML get back the source of any placeholder set_math_aside put in them. It
// cannot see every code block ahead of cmark (a fence inside a blockquote or a list item).
void unplace_outside_text(cmark_node* root, const std::vector<std::string>& spans) {
  cmark_iter* it = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node_type type = cmark_node_get_type(n);
    if (type != CMARK_NODE_CODE && type != CMARK_NODE_CODE_BLOCK && type != CMARK_NODE_HTML_INLINE &&
        type != CMARK_NODE_HTML_BLOCK) {
      continue;
    }
    const char* literal = cmark_node_get_literal(n);
    if (literal != nullptr && std::string_view(literal).find(kMathOpen) != std::string_view::npos) {
      cmark_node_set_literal(n, unplace_math(literal, spans).c_str());
    }
    const char* info = type == CMARK_NODE_CODE_BLOCK ? cmark_node_get_fence_info(n) : nullptr;
    if (info != nullptr && std::string_view(info).find(kMathOpen) != std::string_view::npos) {
      cmark_node_set_fence_info(n, unplace_math(info, spans).c_str());
    }
  }
  cmark_iter_free(it);
}

void restrict_links(cmark_node* root, const std::vector<std::string>& spans) {
  cmark_iter* it = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_LINK) continue;
    const char* title = cmark_node_get_title(n);
    if (title != nullptr && *title != '\0') cmark_node_set_title(n, unplace_math(title, spans).c_str());
    const char* raw = cmark_node_get_url(n);
    std::string url = raw != nullptr ? unplace_math(raw, spans) : std::string();
    cmark_node_set_url(n, is_safe_link(url) ? url.c_str() : "");
  }
  cmark_iter_free(it);
}

}  // namespace

bool is_safe_link(std::string_view url) {
  if (url.empty()) return false;
  // Same-site paths and fragments; "//host" is another site, "/\host" some browsers read as one.
  if (url.front() == '#') return true;
  if (url.front() == '/') return url.size() == 1 || (url[1] != '/' && url[1] != '\\');
  std::string lower = lower_ascii(url.substr(0, 8));
  return lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:");
}

MathSpans set_math_aside(std::string_view in) {
  MathSpans out;
  std::string& text = out.text;
  text.reserve(in.size());
  bool is_line_start = true;
  bool in_fence = false;
  std::string fence;
  for (size_t i = 0; i < in.size();) {
    if (is_line_start) {
      // Fenced code blocks (``` or ~~~, up to three spaces in) are copied as they are.
      size_t lead = in.find_first_not_of(' ', i);
      std::string_view line =
          in.substr(i, in.find('\n', i) == std::string_view::npos ? std::string_view::npos : in.find('\n', i) - i + 1);
      if (lead != std::string_view::npos && lead - i <= 3) {
        std::string_view rest = in.substr(lead);
        char f = rest.empty() ? '\0' : rest[0];
        if ((f == '`' || f == '~') && rest.starts_with(std::string(3, f))) {
          if (!in_fence) {
            in_fence = true;
            fence = std::string(3, f);
          } else if (rest.starts_with(fence)) {
            in_fence = false;
          }
          text.append(line);
          i += line.size();
          continue;
        }
      }
      if (in_fence) {
        text.append(line);
        i += line.size();
        continue;
      }
    }
    char c = in[i];
    is_line_start = c == '\n';
    if (in.substr(i).starts_with(kMathOpen) || in.substr(i).starts_with(kMathClose)) {
      text.append("\xEF\xBF\xBD");  // U+FFFD: the placeholder characters are ours
      i += kMathOpen.size();
      continue;
    }
    if (c == '\\' && i + 1 < in.size()) {
      text.append(in.substr(i, 2));
      i += 2;
      continue;
    }
    if (c == ']' && i + 1 < in.size() && in[i + 1] == '(') {
      // A link destination is a URL: its dollars are not math.
      size_t close = in.find_first_of(")\n", i + 2);
      size_t end = close == std::string_view::npos ? i + 2 : close;
      text.append(in.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '`') {
      // A code span: the same run of backticks closes it; without one the run is text.
      size_t run =
          in.find_first_not_of('`', i) == std::string_view::npos ? in.size() - i : in.find_first_not_of('`', i) - i;
      std::string ticks(run, '`');
      size_t close = in.find(ticks, i + run);
      while (close != std::string_view::npos && close + run < in.size() && in[close + run] == '`') {
        close = in.find(ticks, in.find_first_not_of('`', close));
      }
      size_t end = close == std::string_view::npos ? i + run : close + run;
      text.append(in.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '$') {
      bool is_display = i + 1 < in.size() && in[i + 1] == '$';
      size_t open = i + (is_display ? 2 : 1);
      bool can_open = open < in.size() && (is_display || (in[open] != ' ' && in[open] != '\t' && in[open] != '\n'));
      size_t close = can_open ? closing_dollar(in, open, is_display) : std::string_view::npos;
      if (close != std::string_view::npos && close > open) {
        size_t end = close + (is_display ? 2 : 1);
        text.append(kMathOpen).append(std::to_string(out.spans.size())).append(kMathClose);
        out.spans.emplace_back(in.substr(i, end - i));
        i = end;
        continue;
      }
      text.append(in.substr(i, is_display ? 2 : 1));
      i += is_display ? 2 : 1;
      continue;
    }
    text.push_back(c);
    ++i;
  }
  return out;
}

std::string render_markdown(std::string_view source) {
  MathSpans math = set_math_aside(source);
  std::string_view markdown = math.text;
  // CMARK_OPT_SAFE is spelled out for cmark versions before 0.29, where it was not the default.
  const int options = CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
  std::unique_ptr<cmark_node, void (*)(cmark_node*)> doc(
      cmark_parse_document(markdown.data(), markdown.size(), options), &cmark_node_free);
  if (!doc) return "";
  images_to_links(doc.get());
  restrict_links(doc.get(), math.spans);
  if (!math.spans.empty()) unplace_outside_text(doc.get(), math.spans);
  std::unique_ptr<char, void (*)(void*)> html(cmark_render_html(doc.get(), options), &free);
  if (!html) return "";
  // The renderer writes every link as `<a href="`; raw HTML never reaches the output, so this
  // marks exactly the links it made.
  std::string out;
  std::string_view rest(html.get());
  constexpr std::string_view kOpen = "<a href=\"";
  for (size_t pos; (pos = rest.find(kOpen)) != std::string_view::npos;) {
    out.append(rest.substr(0, pos));
    out.append("<a rel=\"nofollow ugc noopener\" href=\"");
    rest.remove_prefix(pos + kOpen.size());
  }
  out.append(rest);
  return math.spans.empty() ? out : restore_math(out, math.spans);
}

}  // namespace paperboy::web
