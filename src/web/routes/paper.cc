// The paper page (/papers/ID): title, authors and abstract first; actions and facts (vote, save,
// BibTeX, arXiv/PDF/code links, versions, linked comments and journal reference) beside them on
// wide screens; then the discussion and similar papers (via the search service). Its <head> has
// Highwire Press citation_* tags that reference managers (Zotero, Mendeley) read for one-click
// import, and Open Graph / Twitter card tags for link previews. /papers/ID.bib downloads the
// BibTeX entry.
#include "core/time.h"
#include "web/csrf.h"
#include "web/export.h"
#include "web/html.h"
#include "web/page_text.h"
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

// Open Graph (og:*) and Twitter card tags: the preview a shared link shows (title and abstract as
// plain text). og:url is absolute, from the configured public URL.
nlohmann::json open_graph(RouteContext& ctx, const core::Paper& p, const std::string& title,
                          const std::string& description) {
  return nlohmann::json::array({{{"property", "og:title"}, {"content", title}},
                                {{"property", "og:description"}, {"content", description}},
                                {{"property", "og:url"}, {"content", ctx.base_url() + "/papers/" + p.id}},
                                {{"property", "og:type"}, {"content", "article"}},
                                {{"property", "og:site_name"}, {"content", "Paperboy"}}});
}

// "Submitted by NAME", the featured badge, and for curators the hidden notice and their buttons.
// A hidden paper keeps its page: curators hide papers from listings, not from lookups by id.
Status add_curation(RouteContext& ctx, const Request& req, const core::Paper& p, nlohmann::json& model) {
  if (ctx.curator == nullptr) return Status::ok();
  auto submitted = ctx.curator->submitted(p.id);
  if (!submitted) return submitted.error();
  if (*submitted) {
    model["submitted_by"] = (*submitted)->submitter_name.value_or("a former member");
    // The submitter's profile, when the account still exists and profiles are served.
    if ((*submitted)->submitter_name && ctx.profiles != nullptr) {
      model["submitted_by_url"] = profile_path((*submitted)->submission.account_id);
    }
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

// "2026-06-30" as "30 Jun 2026" (as it was when it does not parse).
std::string plain_day(const std::string& day) {
  auto t = core::parse_iso8601(day);
  return t ? plain_date(*t) : day;
}

// The paper's text and facts for paper.mustache, before votes, saves and comments.
nlohmann::json paper_model(RouteContext& ctx, const core::Paper& p) {
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : p.versions) {
    versions.push_back({{"number", std::to_string(v.number)},
                        {"url", arxiv_abs_url(p.id) + "v" + std::to_string(v.number)},
                        {"created", core::format_iso_datetime(v.created)},
                        {"created_label", plain_date(v.created)}});
  }
  // The tab title and previews are plain text; the heading keeps the TeX for KaTeX.
  std::string title = plain_text_from_tex(p.title);
  std::string description = text_excerpt(plain_text_from_tex(p.abstract), 300);
  nlohmann::json meta = citation_meta(p);
  meta.push_back({{"name", "twitter:card"}, {"content", "summary"}});
  meta.push_back({{"name", "twitter:title"}, {"content", title}});
  meta.push_back({{"name", "twitter:description"}, {"content", description}});
  std::string anchor;
  for (char c : p.id) anchor += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '-';
  std::string day = p.listing_day();
  return {{"title", title},
          {"paper_title", p.title},
          {"description", description},
          {"meta", meta},
          {"og", open_graph(ctx, p, title, description)},
          {"id", p.id},
          {"anchor", anchor},
          {"abstract_html", abstract_html(p.abstract)},
          {"authors", author_links(p, p.authors.size())},
          {"categories", category_links(p)},
          {"day", day},
          {"day_label", plain_day(day)},
          {"latest_version", p.versions.empty() ? "" : "v" + std::to_string(p.versions.back().number)},
          {"updated", plain_day(p.last_updated())},
          {"arxiv_comments_html", linked_text_html(p.comments)},
          {"journal_ref_html", linked_text_html(p.journal_ref)},
          {"doi", p.doi},
          {"report_no", p.report_no},
          {"license", p.license},
          {"license_html", linked_text_html(p.license)},
          {"versions", versions},
          {"votes", "0"},
          {"is_voted", false},
          {"abs_url", arxiv_abs_url(p.id)},
          {"pdf_url", arxiv_pdf_url(p.id)},
          {"bib_url", "/papers/" + p.id + ".bib"},
          {"bibtex", bibtex_entry(p)},
          {"code_links", code_link_models(p)}};
}

}  // namespace

Result<Reply> paper_page(RouteContext& ctx, const Request& req, const core::Paper& p, const CommentDraft* draft) {
  nlohmann::json model = paper_model(ctx, p);
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
  auto comments = comments_html(ctx, req, p.id, draft);
  if (!comments) return fail(comments.error());
  model["comments_html"] = *comments;
  personalise(ctx, req, model);
  model["vote_title"] = model.contains("viewer") ? "Upvote" : "Log in to upvote";
  if (Status s = add_curation(ctx, req, p, model); !s.is_ok()) return fail(s);
  return Reply{.body = ctx.views.page("paper", model)};
}

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
