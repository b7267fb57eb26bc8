#include "search/query_understanding.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/arxiv_id.h"
#include "search/text_analyzer.h"

namespace paperboy::search {
namespace {

// Words that ask for papers rather than say what about, in the requests people type ("Give me
// papers which show ...", "Is there any work that analyzes ...", "List all research on ...").
// Kept sorted for binary search.
constexpr std::array<std::string_view, 53> kInstructionWords = {
    "all",          "analyze", "analyzes",  "any",      "article",    "articles",   "claim",    "demonstrate",
    "demonstrates", "discuss", "discusses", "do",       "explore",    "explored",   "explores", "find",
    "give",         "help",    "identify",  "is",       "kindly",     "know",       "like",     "list",
    "look",         "looking", "me",        "paper",    "papers",     "please",     "provide",  "publication",
    "publications", "recent",  "related",   "relevant", "research",   "researches", "search",   "show",
    "some",         "studies", "study",     "suggest",  "supporting", "tell",       "there",    "want",
    "what",         "which",   "work",      "works",    "you",
};

bool is_instruction_word(std::string_view w) {
  return std::binary_search(kInstructionWords.begin(), kInstructionWords.end(), w);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == '.' || s.back() == '/'))
    s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

}  // namespace

std::optional<std::string> navigational_arxiv_id(std::string_view query) {
  std::string_view q = trim(query);
  if (q.empty() || q.size() > 200 || q.find(' ') != std::string_view::npos) return std::nullopt;
  // DOIs: https://doi.org/10.48550/arXiv.2401.00001, doi:10.48550/arXiv.2401.00001.
  for (std::string_view prefix : {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi.org/", "doi:"}) {
    if (starts_with_ci(q, prefix)) {
      q.remove_prefix(prefix.size());
      break;
    }
  }
  if (starts_with_ci(q, "10.48550/arxiv.")) q.remove_prefix(std::string_view("10.48550/arxiv.").size());
  std::string text(q);
  // arxiv.org URLs without a scheme, pdf links with the .pdf suffix.
  if (starts_with_ci(text, "arxiv.org/") || starts_with_ci(text, "www.arxiv.org/")) text = "https://" + text;
  if (text.size() > 4 && lower(text.substr(text.size() - 4)) == ".pdf") text.resize(text.size() - 4);
  if (starts_with_ci(text, "http://")) text = "https://" + text.substr(7);
  if (starts_with_ci(text, "https://www.arxiv.org/")) text = "https://arxiv.org/" + text.substr(22);
  auto parsed = core::parse_arxiv_id(text);
  if (!parsed) return std::nullopt;
  return parsed->id;
}

std::optional<std::string> navigational_doi(std::string_view query) {
  std::string_view q = query;
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front()))) q.remove_prefix(1);
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back()))) q.remove_suffix(1);
  if (q.empty() || q.size() > 300) return std::nullopt;
  for (std::string_view prefix : {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
                                  "https://www.doi.org/", "www.doi.org/", "dx.doi.org/", "doi.org/", "doi:"}) {
    if (starts_with_ci(q, prefix)) {
      q.remove_prefix(prefix.size());
      break;
    }
  }
  if (!q.starts_with("10.")) return std::nullopt;
  const auto slash = q.find('/');
  if (slash == std::string_view::npos || slash == 3 || slash + 1 >= q.size()) return std::nullopt;
  for (char c : q.substr(3, slash - 3)) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
  }
  for (char c : q.substr(slash + 1)) {
    // A DOI suffix is printable and has no blanks; a query with a space is words, not a DOI.
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return std::string(q);
}

std::vector<std::string> content_words(const std::vector<std::string>& words, bool drop_instructions) {
  std::vector<std::string> out;
  for (const auto& w : words) {
    std::string piece;
    auto flush = [&] {
      if (!piece.empty() && !detail::is_stop_word(piece) && !(drop_instructions && is_instruction_word(piece)))
        out.push_back(piece);
      piece.clear();
    };
    for (char ch : w) {
      auto c = static_cast<unsigned char>(ch);
      if (std::isalnum(c) || c >= 0x80) {
        piece += static_cast<char>(std::tolower(c));
      } else {
        flush();
      }
    }
    flush();
  }
  return out;
}

std::string normalise_title(std::string_view text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      space = true;
    }
  }
  return out;
}

}  // namespace paperboy::search
