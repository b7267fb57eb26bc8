#include "fuzz_checks.h"

#include <array>
#include <cctype>
#include <exception>

#include "core/paper_json.h"
#include "web/markdown.h"

namespace paperboy::fuzz {

std::string check_paper(const core::Paper& paper) {
  if (Status s = core::validate_paper(paper); !s.is_ok()) return "paper fails validate_paper: " + s.message();
  try {
    (void)core::paper_to_json(paper).dump();
  } catch (const std::exception& e) {
    return std::string("paper_to_json(...).dump() threw: ") + e.what();
  }
  (void)paper.listing_day();
  (void)paper.last_updated();
  (void)paper.content_hash();
  return {};
}

namespace {

// What cmark's HTML renderer writes for CommonMark with raw HTML omitted (CMARK_OPT_SAFE).
// "span": the math spans render_markdown marks for KaTeX (class "math").
constexpr std::array<std::string_view, 23> kTags = {"p",  "em", "strong", "a",   "code", "pre", "blockquote", "ul",
                                                    "ol", "li", "hr",     "br",  "h1",   "h2",  "h3",         "h4",
                                                    "h5", "h6", "del",    "s",   "img",  "!--", "span"};
constexpr std::array<std::string_view, 5> kAttributes = {"href", "rel", "title", "class", "start"};

std::string decode_entities(std::string_view s) {
  // Enough of HTML's character references to see through what cmark escapes in attributes.
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out += s[i];
      continue;
    }
    std::string_view ref = s.substr(i + 1, semi - i - 1);
    if (ref == "amp")
      out += '&';
    else if (ref == "quot")
      out += '"';
    else if (ref == "lt")
      out += '<';
    else if (ref == "gt")
      out += '>';
    else if (ref == "#39" || ref == "apos")
      out += '\'';
    else
      out += "&" + std::string(ref) + ";";  // numeric references stay encoded: a scheme never needs them
    i = semi;
  }
  return out;
}

bool contains_icase(std::string_view hay, std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool match = true;
    for (size_t j = 0; j < needle.size() && match; ++j) {
      match = std::tolower(static_cast<unsigned char>(hay[i + j])) == needle[j];
    }
    if (match) return true;
  }
  return false;
}

}  // namespace

std::string check_safe_html(std::string_view html) {
  if (contains_icase(html, "<script")) return "raw <script in rendered markdown";
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    size_t start = pos + 1;
    if (html.substr(start).starts_with("!--")) {
      size_t end = html.find("-->", start);
      if (end == std::string_view::npos) return "unterminated comment";
      if (html.substr(start, end - start) != "!-- raw HTML omitted ") return "unexpected comment";
      pos = end + 3;
      continue;
    }
    if (start < html.size() && html[start] == '/') ++start;
    size_t name_end = start;
    while (name_end < html.size() && std::isalnum(static_cast<unsigned char>(html[name_end]))) ++name_end;
    std::string_view name = html.substr(start, name_end - start);
    bool known = false;
    for (auto t : kTags) known = known || t == name;
    if (!known) return "unexpected tag <" + std::string(name) + "> at " + std::to_string(pos);
    size_t close = html.find('>', name_end);
    if (close == std::string_view::npos) return "unterminated tag at " + std::to_string(pos);
    // Attributes: name="value" pairs, values without a raw quote (cmark escapes them).
    std::string_view rest = html.substr(name_end, close - name_end);
    while (true) {
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '/')) rest.remove_prefix(1);
      if (rest.empty()) break;
      size_t eq = rest.find('=');
      if (eq == std::string_view::npos) return "attribute without a value in <" + std::string(name) + ">";
      std::string_view attr = rest.substr(0, eq);
      bool allowed = false;
      for (auto a : kAttributes) allowed = allowed || a == attr;
      if (!allowed) return "unexpected attribute '" + std::string(attr) + "' in <" + std::string(name) + ">";
      if (eq + 1 >= rest.size() || rest[eq + 1] != '"') return "unquoted attribute value";
      size_t value_end = rest.find('"', eq + 2);
      if (value_end == std::string_view::npos) return "unterminated attribute value";
      std::string value = decode_entities(rest.substr(eq + 2, value_end - eq - 2));
      if (attr == "href" && !value.empty() && !web::is_safe_link(value)) return "unsafe href '" + value + "'";
      if (name == "img") return "an image reached the output";
      rest.remove_prefix(value_end + 1);
    }
    pos = close + 1;
  }
  return {};
}

}  // namespace paperboy::fuzz
