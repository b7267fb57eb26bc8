#include "core/arxiv_id.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace paperboy::core {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

int two_digits(std::string_view s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Strips "arXiv:", URL and OAI prefixes and a trailing ".pdf" or "/".
std::string_view strip_decorations(std::string_view s) {
  static constexpr std::array<std::string_view, 3> kSchemes = {"https://", "http://", "//"};
  for (auto scheme : kSchemes) {
    if (starts_with_icase(s, scheme)) {
      s.remove_prefix(scheme.size());
      break;
    }
  }
  static constexpr std::array<std::string_view, 3> kHosts = {"www.arxiv.org/", "export.arxiv.org/", "arxiv.org/"};
  for (auto host : kHosts) {
    if (starts_with_icase(s, host)) {
      s.remove_prefix(host.size());
      static constexpr std::array<std::string_view, 3> kPaths = {"abs/", "pdf/", "html/"};
      for (auto path : kPaths) {
        if (starts_with_icase(s, path)) {
          s.remove_prefix(path.size());
          break;
        }
      }
      break;
    }
  }
  if (starts_with_icase(s, "oai:arxiv.org:")) s.remove_prefix(14);
  if (starts_with_icase(s, "arxiv:")) s.remove_prefix(6);
  // URLs may carry a query or fragment.
  if (auto cut = s.find_first_of("?#"); cut != std::string_view::npos) s = s.substr(0, cut);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  if (s.size() > 4 && starts_with_icase(s.substr(s.size() - 4), ".pdf")) s.remove_suffix(4);
  return s;
}

// Splits "2403.01234v12" into ("2403.01234", 12). Returns -1 as version for a malformed suffix.
std::pair<std::string_view, int> split_version(std::string_view s) {
  auto v = s.rfind('v');
  if (v == std::string_view::npos || v == 0) return {s, 0};
  std::string_view digits = s.substr(v + 1);
  std::string_view head = s.substr(0, v);
  // A 'v' inside an old-style archive name ("solv-int/...") is not a version marker.
  if (head.find('/') == std::string_view::npos && head.find('.') == std::string_view::npos) return {s, 0};
  if (digits.empty() && !head.empty()) return {head, -1};
  if (!all_digits(digits) || digits.size() > 4) return {head, -1};
  int n = std::stoi(std::string(digits));
  if (n < 1) return {head, -1};
  return {head, n};
}

bool valid_month(std::string_view yymm) { return two_digits(yymm.substr(2, 2)) >= 1 && two_digits(yymm.substr(2, 2)) <= 12; }

// New style (arXiv identifier scheme of April 2007): YYMM.NNNN until 1412, YYMM.NNNNN from 1501.
bool is_new_style(std::string_view s) {
  auto dot = s.find('.');
  if (dot != 4) return false;
  std::string_view yymm = s.substr(0, 4);
  std::string_view num = s.substr(5);
  if (!all_digits(yymm) || !all_digits(num) || !valid_month(yymm)) return false;
  int yy = two_digits(yymm);
  if (yy < 7 || (yy == 7 && two_digits(yymm.substr(2)) < 4)) return false;
  return yy >= 15 ? num.size() == 5 : num.size() == 4;
}

constexpr size_t kMaxArchiveName = 16;

// Old style: archive[.SC]/YYMMNNN, archive lowercase letters and '-', SC uppercase letters.
// Returns the canonical form (subject class dropped) or an empty string.
std::string old_style_canonical(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  std::string_view archive = s.substr(0, slash);
  std::string_view number = s.substr(slash + 1);
  if (number.size() != 7 || !all_digits(number) || !valid_month(number.substr(0, 4))) return {};
  if (auto dot = archive.find('.'); dot != std::string_view::npos) {
    std::string_view sc = archive.substr(dot + 1);
    if (sc.empty() || !std::all_of(sc.begin(), sc.end(), [](unsigned char c) { return std::isalpha(c); })) return {};
    archive = archive.substr(0, dot);
  }
  // arXiv's archive names are short ("cond-mat", "solv-int"); a bound keeps every canonical id,
  // and so its URL and OAI forms, within parse_arxiv_id's input limit.
  if (archive.empty() || archive.size() > kMaxArchiveName ||
      !std::all_of(archive.begin(), archive.end(), [](unsigned char c) { return std::islower(c) || c == '-'; })) {
    return {};
  }
  std::string out(archive);
  out += '/';
  out += number;
  return out;
}

}  // namespace

std::string ArxivId::with_version() const {
  return version > 0 ? id + "v" + std::to_string(version) : id;
}

std::string ArxivId::yymm() const {
  if (!is_old_style) return id.substr(0, 4);
  return id.substr(id.find('/') + 1, 4);
}

Result<ArxivId> parse_arxiv_id(std::string_view input) {
  std::string_view s = trim(input);
  if (s.empty()) return fail(Status::invalid_argument("empty arXiv id"));
  if (s.size() > 200) return fail(Status::invalid_argument("arXiv id too long"));
  std::string_view bare = strip_decorations(s);
  auto [head, version] = split_version(bare);
  if (version < 0) {
    return fail(Status::invalid_argument("bad version suffix in arXiv id '" + std::string(s) + "'"));
  }
  ArxivId out;
  out.version = version;
  if (is_new_style(head)) {
    out.id = std::string(head);
    return out;
  }
  if (std::string old = old_style_canonical(head); !old.empty()) {
    out.id = std::move(old);
    out.is_old_style = true;
    return out;
  }
  return fail(Status::invalid_argument("not an arXiv id: '" + std::string(s) +
                                       "' (expected e.g. 2403.01234, arXiv:2403.01234v2 or hep-th/9901001)"));
}

bool is_canonical_arxiv_id(std::string_view id) {
  auto parsed = parse_arxiv_id(id);
  return parsed && parsed->version == 0 && parsed->id == id;
}

}  // namespace paperboy::core
