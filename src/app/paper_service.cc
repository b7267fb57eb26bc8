#include "app/paper_service.h"

#include <algorithm>

#include "app/paper_lookup.h"
#include "search/query_understanding.h"

namespace paperboy::app {

Result<core::Paper> PaperService::find(std::string_view raw_id) {
  return find_paper(papers_, raw_id);
}

Result<std::optional<NamedPaper>> PaperService::named_by(std::string_view query) {
  NamedPaper named;
  Result<std::optional<StoredPaper>> stored = std::optional<StoredPaper>();
  if (auto id = search::navigational_arxiv_id(query)) {
    named.arxiv_id = *id;
    stored = papers_.get_paper(*id);
  } else if (auto doi = search::navigational_doi(query)) {
    named.doi = *doi;
    stored = papers_.get_paper_by_doi(*doi);
  } else {
    return std::optional<NamedPaper>();
  }
  if (!stored) return fail(stored.error());
  if (*stored) {
    named.arxiv_id = (*stored)->paper.id;
    named.paper = std::move((*stored)->paper);
  }
  return std::optional<NamedPaper>(std::move(named));
}

Result<std::vector<StoredPaper>> PaperService::for_hits(const std::vector<search::SearchHit>& hits) {
  std::vector<std::int64_t> ids;
  ids.reserve(hits.size());
  for (const auto& h : hits) ids.push_back(h.doc_id);
  auto papers = papers_.get_papers_by_doc_id(ids);
  if (!papers) return fail(papers.error());
  // Trust the doc id only when it still names the hit's arXiv id (an index may lag the store).
  std::vector<StoredPaper> out;
  for (auto& p : *papers) {
    bool known = std::any_of(hits.begin(), hits.end(), [&](const auto& h) { return h.id == p.paper.id; });
    if (known) out.push_back(std::move(p));
  }
  return out;
}

Result<std::unordered_map<std::string, store::ThumbnailRef>> PaperService::thumbnails_of(
    std::span<const std::string> paper_ids) {
  if (thumbnails_ == nullptr) return std::unordered_map<std::string, store::ThumbnailRef>();
  return thumbnails_->thumbnails_of(paper_ids);
}

Result<std::vector<StoredPaper>> PaperService::list(const ListingQuery& query) {
  return papers_.list_papers(query);
}

Result<std::int64_t> PaperService::count(const ListingQuery& query) {
  return papers_.count_papers(query);
}

Result<std::vector<StoredPaper>> PaperService::by_author(std::string_view keyname, std::string_view forenames,
                                                         int limit, int offset) {
  return papers_.list_papers_by_author(keyname, forenames, limit, offset);
}

Result<std::pair<std::string, std::string>> PaperService::neighbour_days(std::string_view day) {
  return papers_.neighbour_listing_days(day);
}

Result<std::string> PaperService::newest_arxiv_day() {
  return papers_.newest_listing_day();
}

}  // namespace paperboy::app
