#include "web/page_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/time.h"
#include "web/html.h"

namespace paperboy::web {
namespace {

bool is_letter(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

// What a TeX command becomes in plain text; commands not listed (\mathcal, \textbf, \emph...)
// vanish and leave their braced argument.
std::string_view command_text(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 44> kTable = {{
      {"alpha", "α"}, {"beta", "β"},   {"gamma", "γ"},  {"delta", "δ"},      {"epsilon", "ε"}, {"varepsilon", "ε"},
      {"zeta", "ζ"},  {"eta", "η"},    {"theta", "θ"},  {"kappa", "κ"},      {"lambda", "λ"},  {"mu", "μ"},
      {"nu", "ν"},    {"xi", "ξ"},     {"pi", "π"},     {"rho", "ρ"},        {"sigma", "σ"},   {"tau", "τ"},
      {"phi", "φ"},   {"varphi", "φ"}, {"chi", "χ"},    {"psi", "ψ"},        {"omega", "ω"},   {"Gamma", "Γ"},
      {"Delta", "Δ"}, {"Theta", "Θ"},  {"Lambda", "Λ"}, {"Sigma", "Σ"},      {"Phi", "Φ"},     {"Omega", "Ω"},
      {"ell", "ℓ"},   {"infty", "∞"},  {"times", "×"},  {"cdot", "·"},       {"leq", "≤"},     {"le", "≤"},
      {"geq", "≥"},   {"ge", "≥"},     {"to", "→"},     {"rightarrow", "→"}, {"approx", "≈"},  {"pm", "±"},
      {"ldots", "…"}, {"dots", "…"},
  }};
  for (const auto& [tex, text] : kTable) {
    if (tex == name) return text;
  }
  // Operator names read as themselves: \log n, \max_i.
  static constexpr std::array<std::string_view, 12> kOperators = {"log", "exp", "sin", "cos", "tan", "max",
                                                                  "min", "arg", "lim", "det", "sup", "inf"};
  for (auto op : kOperators) {
    if (op == name) return op;
  }
  return "";
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

bool is_url_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f && c != '<' && c != '>' && c != '"' && c != '\'' && c != '`';
}

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string plain_text_from_tex(std::string_view text) {
  std::string out;
  bool in_math = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char next = text[i + 1];
      if (is_letter(next)) {
        size_t end = i + 1;
        while (end < text.size() && is_letter(text[end])) ++end;
        out += command_text(text.substr(i + 1, end - i - 1));
        i = end - 1;
      } else if (next == '(' || next == ')' || next == '[' || next == ']') {
        in_math = next == '(' || next == '[';
        ++i;
      } else if (next == '\\' || next == ',' || next == ';' || next == ' ' || next == ':') {
        out += ' ';
        ++i;
      } else if (next == '!') {
        ++i;
      } else {
        out += next;  // \$ \& \% \# \_ \{ \}
        ++i;
      }
      continue;
    }
    if (c == '$') {
      in_math = !in_math;
      continue;
    }
    if (c == '{' || c == '}') continue;
    if (in_math && (c == '^' || c == '_')) continue;
    if (c == '~') {
      out += ' ';
      continue;
    }
    out += c;
  }
  return collapse_spaces(out);
}

std::string text_excerpt(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Never inside a UTF-8 sequence: back off continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  size_t space = text.rfind(' ', cut);
  if (space != std::string_view::npos && space > max_bytes / 2) cut = space;
  std::string out(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == '.')) out.pop_back();
  return out + "…";
}

std::string plain_date(std::int64_t seconds) {
  std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  core::CivilDate d = core::civil_from_days(days);
  return std::to_string(d.day) + " " + std::string(kMonths[static_cast<size_t>(d.month - 1)]) + " " +
         std::to_string(d.year);
}

std::string count_noun(std::int64_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

std::string relative_time(std::int64_t seconds, std::int64_t now) {
  std::int64_t ago = now - seconds;
  if (ago < 60) return "just now";
  if (ago < 3600) return count_noun(ago / 60, "minute", "minutes") + " ago";
  if (ago < 86400) return count_noun(ago / 3600, "hour", "hours") + " ago";
  if (ago < 2 * 86400) return "yesterday";
  if (ago < 30 * 86400) return count_noun(ago / 86400, "day", "days") + " ago";
  return plain_date(seconds);
}

std::string linked_text_html(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t http = text.find("http", pos);
    if (http == std::string_view::npos) break;
    std::string_view rest = text.substr(http);
    bool is_url = rest.starts_with("http://") || rest.starts_with("https://");
    bool starts_word = http == 0 || !std::isalnum(static_cast<unsigned char>(text[http - 1]));
    if (!is_url || !starts_word) {
      out += escape_html(text.substr(pos, http + 4 - pos));
      pos = http + 4;
      continue;
    }
    size_t end = http;
    while (end < text.size() && is_url_char(text[end])) ++end;
    std::string_view url = text.substr(http, end - http);
    // Sentence punctuation after a URL is not part of it; ")" only when the URL opened none.
    while (!url.empty()) {
      char last = url.back();
      bool trim = last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?' ||
                  last == ']' || (last == ')' && url.find('(') == std::string_view::npos);
      if (!trim) break;
      url.remove_suffix(1);
    }
    out += escape_html(text.substr(pos, http - pos));
    if (url.size() <= 8) {  // "https://" alone
      out += escape_html(url);
    } else {
      out += "<a href=\"" + escape_html(url) + "\" rel=\"nofollow noopener\">" + escape_html(url) + "</a>";
    }
    pos = http + url.size();
  }
  out += escape_html(text.substr(std::min(pos, text.size())));
  return out;
}

std::string abstract_html(std::string_view text) {
  std::string out;
  bool in_math = false;
  size_t plain_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      if (text[i + 1] == '$' && !in_math) {
        out += escape_html(text.substr(plain_from, i - plain_from));
        out += "<span class=\"tex-dollar\">$</span>";
        plain_from = i + 2;
      }
      ++i;  // an escaped character never opens or closes math
      continue;
    }
    if (text[i] == '$') in_math = !in_math;
  }
  out += escape_html(text.substr(plain_from));
  return out;
}

}  // namespace paperboy::web
