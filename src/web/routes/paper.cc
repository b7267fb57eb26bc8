// The paper page (/papers/ID): full metadata, version history, similar papers (via the search
// service), BibTeX, and Highwire Press citation_* meta tags that reference managers (Zotero,
// Mendeley) read for one-click import. /papers/ID.bib downloads the BibTeX entry.
#include "core/time.h"
#include "web/csrf.h"
#include "web/export.h"
#include "web/html.h"
#include "web/routes/common.h"
#include "web/routes/library.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

// Highwire Press tags as Google Scholar documents them (citation_title, one citation_author per
// author, citation_publication_date YYYY/MM/DD, citation_arxiv_id, citation_pdf_url).
nlohmann::json citation_meta(const core::Paper& p) {
  nlohmann::json meta = nlohmann::json::array();
  auto add = [&](const std::string& name, const std::string& content) {
    if (!content.empty()) meta.push_back({{"name", name}, {"content", content}});
  };
  add("citation_title", p.title);
  for (const auto& a : p.authors) {
    add("citation_author", a.keyname + (a.forenames.empty() ? "" : ", " + a.forenames));
  }
  std::string day = p.listing_day();
  if (day.size() == 10) {
    std::string slashed = day;
    std::replace(slashed.begin(), slashed.end(), '-', '/');
    add("citation_publication_date", slashed);
    add("citation_online_date", slashed);
  }
  add("citation_arxiv_id", p.id);
  add("citation_pdf_url", arxiv_pdf_url(p.id));
  add("citation_abstract_html_url", arxiv_abs_url(p.id));
  add("citation_doi", p.doi);
  add("citation_journal_title", p.journal_ref);
  add("citation_abstract", p.abstract);
  add("citation_keywords", [&] {
    std::string k;
    for (const auto& c : p.categories) k += (k.empty() ? "" : "; ") + c;
    return k;
  }());
  return meta;
}

// "Submitted by NAME", the featured badge, and for curators the hidden notice and their buttons.
// A hidden paper keeps its page: curators hide papers from listings, not from lookups by id.
Status add_curation(RouteContext& ctx, const Request& req, const core::Paper& p, nlohmann::json& model) {
  if (ctx.curator == nullptr) return Status::ok();
  auto submitted = ctx.curator->submitted(p.id);
  if (!submitted) return submitted.error();
  if (*submitted) {
    model["submitted_by"] = (*submitted)->submitter_name.value_or("a former member");
    model["submitted_day"] = (*submitted)->submission.listing_day;
  }
  std::vector<std::string> ids = {p.id};
  auto flags = ctx.curator->flags_of(ids);
  if (!flags) return flags.error();
  store::CurationFlags f = flags->contains(p.id) ? flags->at(p.id) : store::CurationFlags{};
  model["is_featured"] = f.is_featured;
  model["is_hidden"] = f.is_hidden;
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return viewer.error();
  bool is_curator = *viewer && !(*viewer)->is_bearer && app::CurationService::may_curate((*viewer)->account);
  if (is_curator) {
    model["is_hidden_notice"] = f.is_hidden;
    model["curation"] = {{"csrf", ctx.csrf->session_token(req)}};
  }
  return Status::ok();
}

Result<Reply> paper_page(RouteContext& ctx, const Request& req, const core::Paper& p) {
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : p.versions) {
    versions.push_back({{"number", std::to_string(v.number)},
                        {"url", arxiv_abs_url(p.id) + "v" + std::to_string(v.number)},
                        {"created", core::format_iso_datetime(v.created)},
                        {"created_label", core::format_rfc2822(v.created)}});
  }
  nlohmann::json model = {{"title", p.title},
                          {"description", p.abstract.substr(0, 300)},
                          {"meta", citation_meta(p)},
                          {"id", p.id},
                          {"abstract", p.abstract},
                          {"authors", author_links(p, p.authors.size())},
                          {"categories", category_links(p)},
                          {"day", p.listing_day()},
                          {"updated", p.last_updated()},
                          {"comments", p.comments},
                          {"journal_ref", p.journal_ref},
                          {"doi", p.doi},
                          {"report_no", p.report_no},
                          {"license", p.license},
                          {"versions", versions},
                          {"votes", "0"},
                          {"is_voted", false},
                          {"abs_url", arxiv_abs_url(p.id)},
                          {"pdf_url", arxiv_pdf_url(p.id)},
                          {"bib_url", "/papers/" + p.id + ".bib"},
                          {"bibtex", bibtex_entry(p)},
                          {"code_links", code_link_models(p)}};
  if (ctx.search == nullptr) {
    model["similar_unavailable"] = true;
  } else {
    auto hits = ctx.search->similar(p.id, 5);
    // A paper stored moments ago (a submission, a harvest) reaches the index within seconds.
    if (!hits && hits.error().code() == StatusCode::kNotFound) {
      model["similar_pending"] = true;
      hits = std::vector<search::SearchHit>();
    }
    if (!hits) return fail(hits.error().with_context("similar papers"));
    auto similar = papers_for_hits(ctx, *hits);
    if (!similar) return fail(similar.error());
    auto similar_marks = vote_marks(ctx, req, *similar);
    if (!similar_marks) return fail(similar_marks.error());
    if (!model.contains("similar_pending")) {
      model["similar_cards"] =
          similar->empty() ? "<p>No similar papers found.</p>" : ctx.views.cards(*similar, {}, &*similar_marks);
    }
  }
  app::StoredPaper self{0, 0, p};
  auto marks = vote_marks(ctx, req, std::span<const app::StoredPaper>(&self, 1));
  if (!marks) return fail(marks.error());
  model["votes"] = std::to_string(marks->count(p.id));
  model["is_voted"] = marks->voted.contains(p.id);
  auto save = save_form_html(ctx, req, p.id);
  if (!save) return fail(save.error());
  model["save_html"] = *save;
  auto comments = comments_html(ctx, req, p.id);
  if (!comments) return fail(comments.error());
  model["comments_html"] = *comments;
  personalise(ctx, req, model);
  if (Status s = add_curation(ctx, req, p, model); !s.is_ok()) return fail(s);
  return Reply{.body = ctx.views.page("paper", model)};
}

}  // namespace

void add_paper_routes(RouteContext& ctx) {
  ctx.get(R"(/papers/(.+)\.bib)", [&ctx](const Request& req) -> Result<Reply> {
    auto paper = find_paper(ctx, req.matches[1]);
    if (!paper) return fail(paper.error());
    std::string name = paper->id;
    std::replace(name.begin(), name.end(), '/', '_');
    return Reply{.body = bibtex_entry(*paper),
                 .content_type = "application/x-bibtex; charset=utf-8",
                 .download_name = name + ".bib"};
  });
  ctx.get(R"(/papers/(.+))", [&ctx](const Request& req) -> Result<Reply> {
    auto paper = find_paper(ctx, req.matches[1]);
    if (!paper) return fail(paper.error());
    return paper_page(ctx, req, *paper);
  });
}

}  // namespace paperboy::web
