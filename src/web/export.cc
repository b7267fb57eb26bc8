#include "web/export.h"

#include "core/time.h"
#include "web/html.h"

namespace paperboy::web {
namespace {

// BibTeX has no escape for unbalanced braces; a value with them would swallow the next fields.
// Braces are kept when balanced (LaTeX such as {\"o} must survive) and dropped otherwise.
std::string bibtex_value(std::string_view text) {
  int depth = 0;
  bool balanced = true;
  for (char c : text) {
    if (c == '{') ++depth;
    if (c == '}' && --depth < 0) balanced = false;
  }
  balanced = balanced && depth == 0;
  std::string out;
  for (char c : text) {
    if (!balanced && (c == '{' || c == '}')) continue;
    if (c == '\n' || c == '\r') c = ' ';
    out += c;
  }
  return out;
}

std::string bibtex_key(std::string_view id) {
  std::string key = "arxiv:";
  for (char c : id) key += c == '/' ? '_' : c;  // old-style ids "hep-th/9901001"
  return key;
}

void field(std::string& out, std::string_view name, std::string_view value, bool protect_case = false) {
  if (value.empty()) return;
  out += "  ";
  out += name;
  out += protect_case ? " = {{" : " = {";
  out += bibtex_value(value);
  out += protect_case ? "}},\n" : "},\n";
}

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629 §4: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when the byte there starts none.
size_t utf8_sequence(std::string_view text, size_t i) {
  auto b = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  auto tail = [&](size_t k) { return (b(k) & 0xC0u) == 0x80u; };
  unsigned c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return tail(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return b(1) >= lo && b(1) <= hi && tail(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return b(1) >= lo && b(1) <= hi && tail(2) && tail(3) ? 4 : 0;
  }
  return 0;
}

// Text as XML 1.0 character data, whatever bytes it holds: a feed must stay well-formed even
// for a query of invalid UTF-8 or a title with control characters. XML 1.0 §2.2 forbids most C0
// controls (even escaped) and U+FFFE/U+FFFF: they are dropped; a byte that starts no UTF-8
// sequence becomes U+FFFD.
std::string xml(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_sequence(text, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    std::string_view seq = text.substr(i, n);
    i += n;
    auto c = static_cast<unsigned char>(seq[0]);
    if (n == 1 && c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    if (seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF") continue;
    clean += seq;
  }
  return escape_html(clean);
}

std::string updated_day(const core::Paper& p) {
  std::string d = p.last_updated();
  return d.empty() ? p.listing_day() : d;
}

}  // namespace

std::string bibtex_entry(const core::Paper& p) {
  std::string out = "@misc{" + bibtex_key(p.id) + ",\n";
  field(out, "title", p.title, true);
  std::string authors;
  for (const auto& a : p.authors) {
    if (!authors.empty()) authors += " and ";
    authors += a.keyname;
    if (!a.suffix.empty()) authors += ", " + a.suffix;
    if (!a.forenames.empty()) authors += ", " + a.forenames;
  }
  field(out, "author", authors);
  std::string day = p.listing_day();
  if (day.size() == 10) {
    field(out, "year", day.substr(0, 4));
    static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                              "jul", "aug", "sep", "oct", "nov", "dec"};
    int month = std::stoi(day.substr(5, 2));
    if (month >= 1 && month <= 12) out += std::string("  month = ") + kMonths[month - 1] + ",\n";
  }
  field(out, "eprint", p.id);
  field(out, "archivePrefix", "arXiv");
  field(out, "primaryClass", p.primary_category());
  field(out, "url", arxiv_abs_url(p.id));
  field(out, "doi", p.doi);
  field(out, "journal", p.journal_ref);
  field(out, "note", p.comments);
  out += "}\n";
  return out;
}

std::string bibtex_entries(std::span<const store::StoredPaper> papers) {
  std::string out;
  for (const auto& sp : papers) {
    if (!out.empty()) out += "\n";
    out += bibtex_entry(sp.paper);
  }
  return out;
}

std::string render_atom(const FeedInfo& info, std::span<const store::StoredPaper> papers) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  out += "  <title>" + xml(info.title) + "</title>\n";
  out += "  <subtitle>" + xml(info.description) + "</subtitle>\n";
  out += "  <id>" + xml(info.feed_url) + "</id>\n";
  out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml(info.feed_url) + "\"/>\n";
  out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + xml(info.page_url) + "\"/>\n";
  out += "  <updated>" + core::format_iso_datetime(info.updated) + "</updated>\n";
  out += "  <generator>Paperboy</generator>\n";
  for (const auto& sp : papers) {
    const auto& p = sp.paper;
    out += "  <entry>\n";
    out += "    <title>" + xml(p.title) + "</title>\n";
    out += "    <id>" + xml(arxiv_abs_url(p.id)) + "</id>\n";
    out += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + xml(arxiv_abs_url(p.id)) + "\"/>\n";
    out += "    <link rel=\"related\" type=\"application/pdf\" href=\"" + xml(arxiv_pdf_url(p.id)) + "\"/>\n";
    out += "    <published>" + core::format_iso_datetime(p.first_version_time()) + "</published>\n";
    auto updated = core::parse_iso8601(updated_day(p));
    out += "    <updated>" + core::format_iso_datetime(updated ? *updated : p.first_version_time()) + "</updated>\n";
    // RFC 4287 §4.1.2: an entry needs an author unless the feed has one; list every author.
    for (const auto& a : p.authors) out += "    <author><name>" + xml(a.display_name()) + "</name></author>\n";
    if (p.authors.empty()) out += "    <author><name>Unknown</name></author>\n";
    for (const auto& c : p.categories) out += "    <category term=\"" + xml(c) + "\"/>\n";
    out += "    <summary type=\"text\">" + xml(p.abstract) + "</summary>\n";
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

std::string render_rss(const FeedInfo& info, std::span<const store::StoredPaper> papers) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "<channel>\n";
  out += "  <title>" + xml(info.title) + "</title>\n";
  out += "  <link>" + xml(info.page_url) + "</link>\n";
  out += "  <description>" + xml(info.description) + "</description>\n";
  out += "  <atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" + xml(info.feed_url) + "\"/>\n";
  out += "  <lastBuildDate>" + core::format_rfc2822(info.updated) + "</lastBuildDate>\n";
  out += "  <generator>Paperboy</generator>\n";
  for (const auto& sp : papers) {
    const auto& p = sp.paper;
    out += "  <item>\n";
    out += "    <title>" + xml(p.title) + "</title>\n";
    out += "    <link>" + xml(arxiv_abs_url(p.id)) + "</link>\n";
    out += "    <guid isPermaLink=\"true\">" + xml(arxiv_abs_url(p.id)) + "</guid>\n";
    out += "    <pubDate>" + core::format_rfc2822(p.first_version_time()) + "</pubDate>\n";
    // RSS 2.0 <author> must be an e-mail address; names go in Dublin Core's dc:creator.
    for (const auto& a : p.authors) out += "    <dc:creator>" + xml(a.display_name()) + "</dc:creator>\n";
    for (const auto& c : p.categories) out += "    <category>" + xml(c) + "</category>\n";
    out += "    <description>" + xml(p.abstract) + "</description>\n";
    out += "  </item>\n";
  }
  out += "</channel>\n</rss>\n";
  return out;
}

nlohmann::json paper_api_json(const core::Paper& p, std::int64_t upvotes) {
  nlohmann::json authors = nlohmann::json::array();
  for (const auto& a : p.authors) authors.push_back({{"name", a.display_name()}});
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : p.versions) {
    versions.push_back(
        {{"version", "v" + std::to_string(v.number)}, {"created", core::format_iso_datetime(v.created)}});
  }
  auto code = find_code_links(p.abstract + " " + p.comments);
  std::string github;
  for (const auto& c : code) {
    if (c.find("github.com/") != std::string::npos) {
      github = c;
      break;
    }
  }
  auto updated = core::parse_iso8601(updated_day(p));
  return {{"id", p.id},
          {"title", p.title},
          {"summary", p.abstract},
          {"authors", authors},
          {"publishedAt", core::format_iso_datetime(p.first_version_time())},
          {"updatedAt", core::format_iso_datetime(updated ? *updated : p.first_version_time())},
          {"upvotes", upvotes},
          {"categories", p.categories},
          {"primaryCategory", p.primary_category()},
          {"comments", p.comments},
          {"journalRef", p.journal_ref},
          {"doi", p.doi},
          {"versions", versions},
          {"codeLinks", code},
          {"githubRepo", github.empty() ? nlohmann::json(nullptr) : nlohmann::json(github)},
          {"arxivUrl", arxiv_abs_url(p.id)},
          {"pdfUrl", arxiv_pdf_url(p.id)},
          {"url", "/papers/" + p.id}};
}

nlohmann::json daily_item_json(const core::Paper& p, std::int64_t upvotes, std::int64_t num_comments) {
  nlohmann::json paper = paper_api_json(p, upvotes);
  return {{"id", p.id},
          {"paper", paper},
          {"title", p.title},
          {"summary", p.abstract},
          {"publishedAt", paper["publishedAt"]},
          {"upvotes", upvotes},
          {"numComments", num_comments}};
}

}  // namespace paperboy::web
