#include "ingest/arxiv_api.h"

#include <expat.h>

#include <algorithm>

#include "core/arxiv_id.h"
#include "core/text.h"
#include "core/time.h"
#include "ingest/oai_pmh_page.h"

namespace paperboy::ingest {
namespace {

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kArxivNs = "http://arxiv.org/schemas/atom";

// One <entry> as the API wrote it.
struct AtomEntry {
  std::string id_url;  // "http://arxiv.org/abs/2401.00001v2"
  std::string title, summary, published, updated, comment, journal_ref, doi, primary;
  std::vector<std::string> authors;
  std::vector<std::string> categories;
};

struct AtomParser {
  std::vector<AtomEntry> entries;
  std::vector<std::pair<std::string, std::string>> stack;  // (namespace, local name)
  std::string text;
  bool in_entry = false;

  static std::pair<std::string, std::string> split(const XML_Char* raw) {
    std::string_view full(raw);
    auto sep = full.rfind(' ');
    if (sep == std::string_view::npos) return {"", std::string(full)};
    return {std::string(full.substr(0, sep)), std::string(full.substr(sep + 1))};
  }
  static const char* attr(const XML_Char** attrs, std::string_view name) {
    for (int i = 0; attrs[i] != nullptr; i += 2) {
      if (std::string_view(attrs[i]) == name) return attrs[i + 1];
    }
    return nullptr;
  }
  static void on_start(void* user, const XML_Char* raw, const XML_Char** attrs) {
    auto* self = static_cast<AtomParser*>(user);
    auto name = split(raw);
    self->text.clear();
    if (name.first == kAtomNs && name.second == "entry") {
      self->in_entry = true;
      self->entries.emplace_back();
    } else if (self->in_entry && self->stack.size() == 2) {  // direct children of <entry>
      const char* term = attr(attrs, "term");
      if (term != nullptr && name.first == kAtomNs && name.second == "category") {
        self->entries.back().categories.emplace_back(term);
      } else if (term != nullptr && name.first == kArxivNs && name.second == "primary_category") {
        self->entries.back().primary = term;
      }
    }
    self->stack.push_back(std::move(name));
  }
  static void on_end(void* user, const XML_Char* /*raw*/) {
    auto* self = static_cast<AtomParser*>(user);
    auto name = std::move(self->stack.back());
    self->stack.pop_back();
    std::string value = core::collapse_whitespace(self->text);
    self->text.clear();
    if (!self->in_entry) return;
    AtomEntry& e = self->entries.back();
    if (name.first == kAtomNs && name.second == "entry") {
      self->in_entry = false;
    } else if (name.first == kAtomNs && name.second == "name" && self->stack.size() == 3) {
      e.authors.push_back(value);
    } else if (self->stack.size() == 2 && name.first == kAtomNs) {
      if (name.second == "id") e.id_url = value;
      if (name.second == "title") e.title = value;
      if (name.second == "summary") e.summary = value;
      if (name.second == "published") e.published = value;
      if (name.second == "updated") e.updated = value;
    } else if (self->stack.size() == 2 && name.first == kArxivNs) {
      if (name.second == "comment") e.comment = value;
      if (name.second == "journal_ref") e.journal_ref = value;
      if (name.second == "doi") e.doi = value;
    }
  }
  static void on_text(void* user, const XML_Char* s, int len) {
    static_cast<AtomParser*>(user)->text.append(s, static_cast<size_t>(len));
  }
};

Result<core::Paper> entry_to_paper(const AtomEntry& e) {
  auto id = core::parse_arxiv_id(e.id_url);
  if (!id) return fail(id.error().with_context("entry id '" + e.id_url + "'"));
  core::Paper p;
  p.id = id->id;
  p.title = e.title;
  p.abstract = e.summary;
  p.comments = e.comment;
  p.journal_ref = e.journal_ref;
  p.doi = e.doi;
  for (const auto& name : e.authors) {
    auto parsed = parse_author_list(name);
    p.authors.insert(p.authors.end(), parsed.begin(), parsed.end());
  }
  if (!e.primary.empty()) p.categories.push_back(e.primary);
  for (const auto& c : e.categories) {
    // The API mixes in ACM/MSC classes as categories ("I.2.6", "68T05"); arXiv ones start lower-case.
    bool looks_like_arxiv = c.find(' ') == std::string::npos && !c.empty() && std::islower(static_cast<unsigned char>(c[0]));
    if (looks_like_arxiv && std::find(p.categories.begin(), p.categories.end(), c) == p.categories.end()) {
      p.categories.push_back(c);
    }
  }
  auto published = core::parse_iso8601(e.published);
  if (!published) return fail(Status::invalid_argument("entry " + p.id + ": bad <published> '" + e.published + "'"));
  p.versions.push_back({1, *published});
  auto updated = core::parse_iso8601(e.updated);
  if (id->version > 1 && updated) p.versions.push_back({id->version, *updated});
  p.update_date = core::format_iso_date(updated ? *updated : *published);
  if (Status s = core::validate_paper(p); !s.is_ok()) return fail(s.with_context("entry " + p.id));
  return p;
}

}  // namespace

Result<std::vector<core::Paper>> parse_arxiv_atom_feed(std::string_view xml) {
  AtomParser state;
  XML_Parser parser = XML_ParserCreateNS("UTF-8", ' ');
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, &AtomParser::on_start, &AtomParser::on_end);
  XML_SetCharacterDataHandler(parser, &AtomParser::on_text);
  bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK;
  std::string error;
  if (!ok) {
    error = "arXiv API: malformed Atom feed at line " + std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
            XML_ErrorString(XML_GetErrorCode(parser));
  }
  XML_ParserFree(parser);
  if (!ok) return fail(Status::io_error(error));
  std::vector<core::Paper> papers;
  for (const auto& e : state.entries) {
    // The API reports bad requests as an entry titled "Error" (e.g. "incorrect id format for x").
    if (e.title == "Error") return fail(Status::invalid_argument("arXiv API: " + e.summary));
    // Unknown ids come back as entries without a title or date: absent, not an error.
    if (e.title.empty() || e.published.empty()) continue;
    auto paper = entry_to_paper(e);
    if (!paper) return fail(paper.error().with_context("arXiv API"));
    papers.push_back(std::move(*paper));
  }
  return papers;
}

ArxivApiClient::ArxivApiClient(HttpClient& http, ArxivApiOptions options) : http_(http), options_(std::move(options)) {}

Result<std::vector<core::Paper>> ArxivApiClient::fetch_papers(const std::vector<std::string>& canonical_ids) {
  constexpr size_t kPerRequest = 100;
  std::vector<core::Paper> out;
  for (size_t start = 0; start < canonical_ids.size(); start += kPerRequest) {
    std::string list;
    size_t end = std::min(canonical_ids.size(), start + kPerRequest);
    for (size_t i = start; i < end; ++i) list += (i > start ? "," : "") + canonical_ids[i];
    std::string url = options_.api_url + (options_.api_url.find('?') == std::string::npos ? "?" : "&") +
                      "id_list=" + url_encode(list) + "&max_results=" + std::to_string(end - start);
    std::vector<core::Paper> papers;
    Status s = run_with_retries(
        options_.retry, "arXiv API",
        [&](int) -> TryOutcome {
          auto response = http_.get(url);
          if (!response) return {response.error(), std::nullopt};
          if (Status h = status_from_http(*response, url); !h.is_ok()) return {h, response->retry_after_s};
          auto parsed = parse_arxiv_atom_feed(response->body);
          if (!parsed) return {parsed.error().with_context(url), std::nullopt};
          papers = std::move(*parsed);
          return {Status::ok(), std::nullopt};
        },
        options_.stop);
    if (!s.is_ok()) return fail(s);
    for (auto& p : papers) out.push_back(std::move(p));
  }
  return out;
}

Result<core::Paper> ArxivApiClient::fetch_paper(std::string_view id) {
  auto parsed = core::parse_arxiv_id(id);
  if (!parsed) return fail(parsed.error());
  auto papers = fetch_papers({parsed->id});
  if (!papers) return fail(papers.error());
  for (auto& p : *papers) {
    if (p.id == parsed->id) return std::move(p);
  }
  return fail(Status::not_found("arXiv has no paper " + parsed->id));
}

}  // namespace paperboy::ingest
