// The JSON API under /api/. /api/daily_papers follows Hugging Face's shape (an array of items with
// a nested "paper"; parameters date/week/month, sort, p (0-based page), limit) so its clients can
// point here. Field names are documented in export.h and the README.
#include "core/time.h"
#include "web/export.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

Reply json_reply(const nlohmann::json& body) {
  return Reply{.body = body.dump(), .content_type = "application/json"};
}

// The paper's thumbnail as an absolute URL (server.public_url or the listening address), or null.
nlohmann::json thumbnail_json(const RouteContext& ctx, const VoteMarks& marks, const std::string& id) {
  auto it = marks.thumbnails.find(id);
  if (it == marks.thumbnails.end()) return nullptr;
  return ctx.base_url() + thumbnail_path(it->second.hash);
}

// A daily-papers item with its thumbnail, on the item and on its paper.
nlohmann::json item_json(const RouteContext& ctx, const VoteMarks& marks, const core::Paper& paper) {
  nlohmann::json item = daily_item_json(paper, marks.count(paper.id), marks.comment_count(paper.id));
  item["thumbnail"] = thumbnail_json(ctx, marks, paper.id);
  item["paper"]["thumbnail"] = item["thumbnail"];
  return item;
}

Result<Period> api_period(RouteContext& ctx, const Request& req) {
  if (req.has_param("date")) return parse_day(req.get_param_value("date"));
  if (req.has_param("week")) return parse_week(req.get_param_value("week"));
  if (req.has_param("month")) return parse_month(req.get_param_value("month"));
  auto newest = newest_listing_day(ctx);
  if (!newest) return fail(newest.error());
  if (newest->empty()) return Period{};  // empty store: an empty array, not an error
  return parse_day(*newest);
}

Result<nlohmann::json> hits_json(RouteContext& ctx, const Request& req, const std::vector<search::SearchHit>& hits) {
  auto papers = papers_for_hits(ctx, hits);
  if (!papers) return fail(papers.error());
  auto marks = vote_marks(ctx, req, *papers);
  if (!marks) return fail(marks.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& sp : *papers) {
    nlohmann::json item = item_json(ctx, *marks, sp.paper);
    for (const auto& h : hits) {
      if (h.id != sp.paper.id) continue;
      item["score"] = h.score;
      item["lexicalRank"] = h.lexical_rank;
      item["semanticRank"] = h.semantic_rank;
      break;
    }
    out.push_back(std::move(item));
  }
  return out;
}

// Hugging Face's submittedOnDailyAt / submittedOnDailyBy, on the item and its paper, for a paper a
// user submitted to the daily listing.
Status add_submitter(RouteContext& ctx, nlohmann::json& item) {
  if (ctx.curator == nullptr) return Status::ok();
  auto submitted = ctx.curator->submitted(item["id"].get<std::string>());
  if (!submitted) return submitted.error();
  if (!*submitted) return Status::ok();
  nlohmann::json at = core::format_iso_datetime((*submitted)->submission.submitted_at);
  std::string name = (*submitted)->submitter_name.value_or("");
  nlohmann::json by = {{"name", name}, {"fullname", name}};
  for (auto* target : {&item, item.contains("paper") ? &item["paper"] : nullptr}) {
    if (target == nullptr) continue;
    (*target)["submittedOnDailyAt"] = at;
    (*target)["submittedOnDailyBy"] = by;
  }
  return Status::ok();
}

Status require_search(const RouteContext& ctx) {
  if (ctx.search == nullptr) return Status::unavailable("search is not running on this server");
  return Status::ok();
}

}  // namespace

void add_api_routes(RouteContext& ctx) {
  ctx.get("/api/daily_papers", [&ctx](const Request& req) -> Result<Reply> {
    auto period = api_period(ctx, req);
    if (!period) return fail(period.error());
    std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "published";
    // "trending" orders by TrendingScore (rank/trending.h), "published" newest first.
    if (sort != "published" && sort != "publishedAt" && sort != "trending") {
      return fail(Status::invalid_argument("sort: expected trending or published, got '" + sort + "'"));
    }
    auto cats = categories_param(req);
    if (!cats) return fail(cats.error());
    auto limit = int_param(req, "limit", 50, 1, 100);
    if (!limit) return fail(limit.error());
    auto page = int_param(req, "p", 0, 0, 100000);
    if (!page) return fail(page.error());
    nlohmann::json out = nlohmann::json::array();
    if (!period->from_day.empty()) {
      Result<std::vector<app::StoredPaper>> papers = std::vector<app::StoredPaper>();
      if (sort == "trending") {
        papers = trending_papers(ctx, *period, *cats, *limit, *page * *limit);
      } else if (auto listed = curated_listing(ctx, *period, *cats, *limit, *page * *limit); listed) {
        papers = std::move(listed->papers);
      } else {
        papers = fail(listed.error());
      }
      if (!papers) return fail(papers.error());
      auto marks = vote_marks(ctx, req, *papers);
      if (!marks) return fail(marks.error());
      for (const auto& sp : *papers) {
        out.push_back(item_json(ctx, *marks, sp.paper));
        if (Status st = add_submitter(ctx, out.back()); !st.is_ok()) return fail(st);
      }
    }
    return json_reply(out);
  });
  ctx.get("/api/papers/search", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = require_search(ctx); !s.is_ok()) return fail(s);
    auto sr = search_request(req, 20);
    if (!sr) return fail(sr.error());
    if (sr->query.empty()) return fail(Status::invalid_argument("q: a query is required"));
    auto response = ctx.search->search(*sr);
    if (!response) return fail(response.error());
    auto items = hits_json(ctx, req, response->hits);
    if (!items) return fail(items.error());
    return json_reply(*items);
  });
  // "Did you mean": {"suggestion": "diffusion models"} or {"suggestion": null}.
  ctx.get("/api/papers/suggest", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = require_search(ctx); !s.is_ok()) return fail(s);
    const std::string q = req.has_param("q") ? req.get_param_value("q") : "";
    if (q.empty()) return fail(Status::invalid_argument("q: a query is required"));
    auto suggestion = ctx.search->suggest(q);
    return json_reply({{"suggestion", suggestion ? nlohmann::json(*suggestion) : nlohmann::json(nullptr)}});
  });
  // Query by text: {"text": "an abstract or a draft", "limit": N} -> papers like it.
  ctx.post("/api/papers/similar", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = require_search(ctx); !s.is_ok()) return fail(s);
    auto body = json_body(req);
    if (!body) return fail(body.error());
    const std::string text = string_field(*body, "text");
    if (text.empty()) return fail(Status::invalid_argument("text: the text to compare is required"));
    int limit = 10;
    if (body->contains("limit")) {
      const auto& l = (*body)["limit"];
      if (!l.is_number_integer() || l.get<long>() < 1 || l.get<long>() > 100)
        return fail(Status::invalid_argument("limit: expected an integer 1..100"));
      limit = l.get<int>();
    }
    auto hits = ctx.search->similar_to_text(text, limit);
    if (!hits) return fail(hits.error());
    auto items = hits_json(ctx, req, *hits);
    if (!items) return fail(items.error());
    return json_reply(*items);
  });
  ctx.get(R"(/api/papers/(.+)/similar)", [&ctx](const Request& req) -> Result<Reply> {
    if (Status s = require_search(ctx); !s.is_ok()) return fail(s);
    auto paper = find_paper(ctx, req.matches[1]);
    if (!paper) return fail(paper.error());
    auto limit = int_param(req, "limit", 10, 1, 100);
    if (!limit) return fail(limit.error());
    auto hits = ctx.search->similar(paper->id, *limit);
    if (!hits) return fail(hits.error());
    auto items = hits_json(ctx, req, *hits);
    if (!items) return fail(items.error());
    return json_reply(*items);
  });
  ctx.get(R"(/api/papers/(.+))", [&ctx](const Request& req) -> Result<Reply> {
    auto paper = find_paper(ctx, req.matches[1]);
    if (!paper) return fail(paper.error());
    app::StoredPaper self{0, 0, *paper};
    auto marks = vote_marks(ctx, req, std::span<const app::StoredPaper>(&self, 1));
    if (!marks) return fail(marks.error());
    auto out = paper_api_json(*paper, marks->count(paper->id));
    out["thumbnail"] = thumbnail_json(ctx, *marks, paper->id);
    if (Status st = add_submitter(ctx, out); !st.is_ok()) return fail(st);
    return json_reply(out);
  });
}

}  // namespace paperboy::web
