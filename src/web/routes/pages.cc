// Author pages (/authors/KEYNAME?f=FORENAMES), category pages (/categories/CAT), both newest
// first with paging. The subscribe pages are in subscribe.cc.
#include "core/categories.h"
#include "web/html.h"
#include "web/page_text.h"
#include "web/routes/common.h"
#include "web/routes/library.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

constexpr int kPageSize = 50;

Result<nlohmann::json> people_model(RouteContext& ctx, const Request& req, const std::string& heading,
                                    const std::string& path, const std::vector<app::StoredPaper>& papers, int page,
                                    bool has_more) {
  auto marks = vote_marks(ctx, req, papers);
  if (!marks) return fail(marks.error());
  nlohmann::json model = {
      {"title", heading},
      {"heading", heading},
      {"path", path},
      {"cards", ctx.views.cards(papers, {}, &*marks)},
      {"has_papers", !papers.empty()},
      {"empty_text", "No papers found."},
      {"count_text", count_noun(static_cast<std::int64_t>(papers.size()), "paper", "papers") +
                         " on this page, newest first" + (page > 1 ? " (page " + std::to_string(page) + ")" : "")}};
  if (has_more) {
    model["more_url"] = path + (path.find('?') == std::string::npos ? "?" : "&") + "page=" + std::to_string(page + 1);
  }
  personalise(ctx, req, model);
  return model;
}

// Co-authors (linked to their pages), top categories by human name and papers per year, with
// a bar (<meter>, relative to the busiest year) for a glance; the numbers are in the text too.
nlohmann::json author_facts_model(const app::AuthorFacts& f, const std::string& name) {
  nlohmann::json co = nlohmann::json::array();
  for (const auto& a : f.co_authors) {
    core::Author author{a.keyname, a.forenames, ""};
    co.push_back({{"name", a.forenames.empty() ? a.keyname : a.forenames + " " + a.keyname},
                  {"url", author_path(author)},
                  {"count_text", count_noun(a.papers, "paper", "papers")}});
  }
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : f.categories) {
    cats.push_back({{"code", c.category},
                    {"label", core::category_label(c.category)},
                    {"url", "/categories/" + c.category},
                    {"count_text", count_noun(c.papers, "paper", "papers")}});
  }
  int most = 1;
  for (const auto& y : f.years) most = std::max(most, y.papers);
  nlohmann::json years = nlohmann::json::array();
  for (const auto& y : f.years) {
    years.push_back(
        {{"year", std::to_string(y.year)}, {"count", std::to_string(y.papers)}, {"most", std::to_string(most)}});
  }
  std::string basis = count_noun(f.papers_read, "paper", "papers");
  return {{"name", name},
          {"co_authors", co},
          {"has_co_authors", !co.empty()},
          {"categories", cats},
          {"years", years},
          {"has_years", !years.empty()},
          {"basis", f.is_truncated ? "From the newest " + basis + "." : "From " + basis + "."}};
}

}  // namespace

void add_people_routes(RouteContext& ctx) {
  ctx.get(R"(/authors/([^/]+))", [&ctx](const Request& req) -> Result<Reply> {
    std::string keyname = req.matches[1];
    std::string forenames = req.get_param_value("f");
    if (keyname.size() > 200 || forenames.size() > 200) return fail(Status::invalid_argument("author name too long"));
    auto page = int_param(req, "page", 1, 1, 1000);
    if (!page) return fail(page.error());
    auto papers = ctx.papers.by_author(keyname, forenames, kPageSize + 1, (*page - 1) * kPageSize);
    if (!papers) return fail(papers.error());
    if (papers->empty() && *page == 1) return fail(Status::not_found("no papers by " + forenames + " " + keyname));
    bool has_more = papers->size() > kPageSize;
    if (has_more) papers->pop_back();
    // Hidden papers leave the page (the page may then be a little short; authors' pages are small).
    auto hidden = hidden_paper_ids(ctx);
    if (!hidden) return fail(hidden.error());
    std::erase_if(*papers, [&](const app::StoredPaper& sp) {
      return std::find(hidden->begin(), hidden->end(), sp.paper.id) != hidden->end();
    });
    std::string name = forenames.empty() ? keyname : forenames + " " + keyname;
    std::string path = "/authors/" + url_encode(keyname) + (forenames.empty() ? "" : "?f=" + url_encode(forenames));
    auto model = people_model(ctx, req, "Papers by " + name, path, *papers, *page, has_more);
    if (!model) return fail(model.error());
    auto follow = follow_button_html(ctx, req, app::FollowKind::kAuthor, keyname + "|" + forenames, name);
    if (!follow) return fail(follow.error());
    auto facts = ctx.authors->facts(keyname, forenames, *hidden);
    if (!facts) return fail(facts.error());
    (*model)["follow_html"] = *follow + ctx.views.render("author_facts", author_facts_model(*facts, name));
    return Reply{.body = ctx.views.page("listing", *model)};
  });
  ctx.get(R"(/categories/([A-Za-z0-9._-]+))", [&ctx](const Request& req) -> Result<Reply> {
    std::string cat = req.matches[1];
    auto page = int_param(req, "page", 1, 1, 10000);
    if (!page) return fail(page.error());
    auto hidden = hidden_paper_ids(ctx);
    if (!hidden) return fail(hidden.error());
    app::ListingQuery q{"", "", {cat}, kPageSize + 1, (*page - 1) * kPageSize, std::move(*hidden)};
    auto papers = ctx.papers.list(q);
    if (!papers) return fail(papers.error());
    bool has_more = papers->size() > kPageSize;
    if (has_more) papers->pop_back();
    auto built = people_model(ctx, req, "Newest in " + cat, "/categories/" + cat, *papers, *page, has_more);
    if (!built) return fail(built.error());
    nlohmann::json& model = *built;
    model["feed_atom"] = "/feeds/category/" + cat + ".atom";
    model["feed_rss"] = "/feeds/category/" + cat + ".rss";
    model["feed_title"] = "Paperboy: " + cat;
    model["subscribe"] = true;
    model["subscribe_category"] = cat;
    auto follow = follow_button_html(ctx, req, app::FollowKind::kCategory, cat, cat);
    if (!follow) return fail(follow.error());
    model["follow_html"] = *follow;
    return Reply{.body = ctx.views.page("listing", model)};
  });
}

}  // namespace paperboy::web
