// The search page (/search?q=&cat=&from=&until=&code=&sort=&mode=&page=): one search box with its filter
// controls; an arXiv id, arXiv URL or DOI opens that paper (303), or says it is not here and offers
// arXiv; else results from the SearchService with the query's words highlighted, a total that stays
// put while paging, "did you mean", and examples plus the query syntax on the empty page.
#include <array>

#include "core/arxiv_id.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/http_status.h"
#include "web/routes/common.h"
#include "web/routes/library.h"
#include "web/server.h"
#include "web/trend_chart.h"

namespace paperboy::web {
namespace {

constexpr int kPageSize = 20;
constexpr int kMaxPage = 50;
constexpr int kTrendWeeks = 52;  // the search page's papers-per-week chart
constexpr size_t kMaxQueryBytes = 500;

// The category select's choices: the busiest arXiv categories (any other one can be typed as cat:X,
// and a chosen one is always offered).
constexpr std::array<std::pair<const char*, const char*>, 24> kCategoryChoices = {{
    {"cs.AI", "Artificial Intelligence (cs.AI)"},
    {"cs.CL", "Computation and Language (cs.CL)"},
    {"cs.CR", "Cryptography and Security (cs.CR)"},
    {"cs.CV", "Computer Vision (cs.CV)"},
    {"cs.CY", "Computers and Society (cs.CY)"},
    {"cs.DS", "Data Structures and Algorithms (cs.DS)"},
    {"cs.HC", "Human-Computer Interaction (cs.HC)"},
    {"cs.IR", "Information Retrieval (cs.IR)"},
    {"cs.LG", "Machine Learning (cs.LG)"},
    {"cs.NE", "Neural and Evolutionary Computing (cs.NE)"},
    {"cs.RO", "Robotics (cs.RO)"},
    {"cs.SE", "Software Engineering (cs.SE)"},
    {"eess.AS", "Audio and Speech Processing (eess.AS)"},
    {"eess.IV", "Image and Video Processing (eess.IV)"},
    {"eess.SP", "Signal Processing (eess.SP)"},
    {"math.OC", "Optimization and Control (math.OC)"},
    {"math.ST", "Statistics Theory (math.ST)"},
    {"physics.comp-ph", "Computational Physics (physics.comp-ph)"},
    {"q-bio.NC", "Neurons and Cognition (q-bio.NC)"},
    {"quant-ph", "Quantum Physics (quant-ph)"},
    {"stat.ME", "Statistics Methodology (stat.ME)"},
    {"stat.ML", "Machine Learning, statistics (stat.ML)"},
    {"astro-ph.GA", "Astrophysics of Galaxies (astro-ph.GA)"},
    {"hep-th", "High Energy Physics, Theory (hep-th)"},
}};

// The page's query string for `q` with the request's filters, sort and mode ("" values left out).
std::string search_url(const search::SearchRequest& sr, const std::string& q, const std::string& extra = "") {
  std::string url = "/search?q=" + url_encode(q);
  for (const auto& c : sr.categories) url += "&cat=" + url_encode(c);
  if (!sr.from.empty()) url += "&from=" + url_encode(sr.from);
  if (!sr.until.empty()) url += "&until=" + url_encode(sr.until);
  if (sr.has_code) url += "&code=1";
  if (sr.sort != search::Sort::kRelevance) url += "&sort=" + std::string(search::sort_name(sr.sort));
  if (sr.mode != search::Mode::kHybrid) url += "&mode=" + mode_string(sr.mode);
  return url + extra;
}

// The form's controls, showing the request's choices.
void add_controls(nlohmann::json& model, const search::SearchRequest& sr) {
  nlohmann::json modes = nlohmann::json::array();
  for (auto [m, label] : {std::pair{search::Mode::kHybrid, "Words and meaning"},
                          std::pair{search::Mode::kLexical, "Words"}, std::pair{search::Mode::kSemantic, "Meaning"}}) {
    modes.push_back({{"name", mode_string(m)}, {"label", label}, {"checked", m == sr.mode}});
  }
  nlohmann::json sorts = nlohmann::json::array();
  for (auto [s, label] :
       {std::pair{search::Sort::kRelevance, "Best match"}, std::pair{search::Sort::kNewest, "Newest"}}) {
    sorts.push_back({{"name", search::sort_name(s)}, {"label", label}, {"selected", s == sr.sort}});
  }
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : sr.categories) {
    bool listed =
        std::any_of(kCategoryChoices.begin(), kCategoryChoices.end(), [&](const auto& k) { return c == k.first; });
    if (!listed) cats.push_back({{"value", c}, {"label", c}, {"selected", true}});
  }
  for (const auto& [value, label] : kCategoryChoices) {
    bool chosen = std::find(sr.categories.begin(), sr.categories.end(), value) != sr.categories.end();
    cats.push_back({{"value", value}, {"label", label}, {"selected", chosen}});
  }
  model["modes"] = std::move(modes);
  model["sorts"] = std::move(sorts);
  model["category_options"] = std::move(cats);
  model["from"] = sr.from;
  model["until"] = sr.until;
  model["has_code"] = sr.has_code;
}

// Clickable examples for the empty page: words, a question, an author, a real id, a filter.
Result<nlohmann::json> examples(RouteContext& ctx) {
  nlohmann::json items = nlohmann::json::array();
  auto add = [&](const std::string& q, const std::string& what) {
    items.push_back({{"url", "/search?q=" + url_encode(q)}, {"text", q}, {"what", what}});
  };
  add("diffusion models", "words");
  add("how do language models use tools", "a question in plain language");
  add("author:Hinton", "an author");
  auto newest = ctx.papers.list(app::ListingQuery{.limit = 1});
  if (!newest) return fail(newest.error());
  if (!newest->empty()) add(newest->front().paper.id, "an arXiv id opens the paper");
  add("transformers cat:cs.CL since:30d", "a category and the past 30 days");
  add("\"graph neural network\" -survey", "a phrase, without surveys");
  return nlohmann::json{{"items", std::move(items)}};
}

// Where a query that names one paper leads: the paper (303), or a 404 page saying it is not here,
// with a way to fetch it from arXiv (when submissions look papers up there) or to open it elsewhere.
Result<std::optional<Reply>> named_paper_reply(RouteContext& ctx, const Request& req, const search::SearchRequest& sr,
                                               nlohmann::json& model) {
  auto named = ctx.papers.named_by(sr.query);
  if (!named) return fail(named.error());
  if (!*named) return std::optional<Reply>();
  const app::NamedPaper& n = **named;
  if (n.paper) return std::optional<Reply>(redirect("/papers/" + n.paper->id));
  personalise(ctx, req, model);
  nlohmann::json here = {{"arxiv_id", n.arxiv_id}, {"doi", n.doi}};
  if (!n.arxiv_id.empty()) {
    here["not_here_text"] = "arXiv:" + n.arxiv_id + " is not on this server.";
    here["arxiv_url"] = arxiv_abs_url(n.arxiv_id);
    if (ctx.submissions != nullptr && ctx.options.paper_lookup) {
      if (model.contains("viewer")) {
        here["fetch_form"] = true;
        here["csrf"] = model["viewer"]["csrf"];
        here["max_age_days"] = ctx.submissions->options().max_age_days;
      } else {
        here["fetch_login"] = true;
      }
    }
  } else {
    here["not_here_text"] = "No paper on this server has the DOI " + n.doi + ".";
    here["doi_url"] = "https://doi.org/" + url_encode(n.doi);
  }
  model["not_here"] = std::move(here);
  model["heading"] = "Not on this server";
  return std::optional<Reply>(
      Reply{.status = http_status(Status::not_found("")), .body = ctx.views.page("search", model), .max_age_s = 0});
}

// A query the search layer refused (bad syntax, unknown field): the search page with the reason,
// the form keeping what was typed. Internals (SQL, FTS5) never reach the page.
Reply refused_query(RouteContext& ctx, const Request& req, nlohmann::json& model, const Status& why) {
  std::string reason = why.message();
  if (reason.find("sqlite") != std::string::npos || reason.find("fts5") != std::string::npos) {
    reason = "it has characters or operators the search cannot use";
  }
  model["error"] = "The query could not be understood: " + reason +
                   ". Check quotes and filters (cat:cs.LG, since:7d) and try again.";
  model["has_query"] = false;
  personalise(ctx, req, model);
  return Reply{.status = http_status(why), .body = ctx.views.page("search", model), .max_age_s = 0};
}

void add_results(nlohmann::json& model, const search::SearchRequest& sr, const search::SearchResponse& response,
                 size_t shown) {
  const int page = sr.offset / sr.limit + 1;
  const std::int64_t total = std::max<std::int64_t>(response.total, sr.offset + static_cast<std::int64_t>(shown));
  model["count_text"] = total == 0   ? std::string("No results")
                        : total == 1 ? std::string("1 result")
                                     : "About " + with_thousands(total) + " results";
  model["no_results"] = shown == 0;
  if (shown == 0 && !response.explanation.empty()) model["explanation"] = response.explanation;
  // The results are the suggestion's when the typed query found nothing: later pages page them.
  const std::string& shown_query = response.shows_suggestion ? response.suggestion : sr.query;
  if (!response.suggestion.empty()) {
    model["suggestion"] = response.suggestion;
    model["suggestion_url"] = search_url(sr, response.suggestion);
    if (response.shows_suggestion) {
      model["corrected"] = true;
      model["typed"] = sr.query;
      model["verbatim_url"] = search_url(sr, sr.query, "&verbatim=1");
    }
  }
  model["semantic_url"] = search_url(sr, sr.query) + "&mode=semantic";
  const std::int64_t pages = std::min<std::int64_t>(kMaxPage, (total + sr.limit - 1) / sr.limit);
  if (pages > 1) {
    const std::string limit = sr.limit == kPageSize ? "" : "&limit=" + std::to_string(sr.limit);
    nlohmann::json pager = {{"page", page}, {"pages", std::max<std::int64_t>(pages, page)}};
    if (page > 1) pager["prev_url"] = search_url(sr, shown_query, limit + "&page=" + std::to_string(page - 1));
    if (page < pages) pager["next_url"] = search_url(sr, shown_query, limit + "&page=" + std::to_string(page + 1));
    model["pager"] = std::move(pager);
  }
}

}  // namespace

Result<search::SearchRequest> search_request(const Request& req, int page_size) {
  search::SearchRequest sr;
  sr.query = req.get_param_value("q");
  if (sr.query.size() > kMaxQueryBytes) {
    return fail(
        Status::invalid_argument("q: queries are limited to " + std::to_string(kMaxQueryBytes) + " characters"));
  }
  auto mode = mode_param(req);
  if (!mode) return fail(mode.error());
  sr.mode = *mode;
  auto limit = int_param(req, "limit", page_size, 1, 100);
  if (!limit) return fail(limit.error());
  auto page = int_param(req, "page", 1, 1, kMaxPage);
  if (!page) return fail(page.error());
  sr.limit = *limit;
  sr.offset = (*page - 1) * *limit;
  auto cats = categories_param(req);
  if (!cats) return fail(cats.error());
  sr.categories = std::move(*cats);
  for (auto [name, field] : {std::pair{"from", &sr.from}, std::pair{"until", &sr.until}}) {
    *field = req.get_param_value(name);
    if (field->size() > 10 || field->find_first_not_of("0123456789-") != std::string::npos) {
      return fail(Status::invalid_argument(std::string(name) + ": expected a date YYYY-MM-DD"));
    }
  }
  if (req.has_param("sort") && !req.get_param_value("sort").empty()) {
    // Hugging Face's spelling of newest first is accepted as on /api/daily_papers.
    const std::string value = req.get_param_value("sort");
    auto sort = search::parse_sort(value == "publishedAt" || value == "published" ? "newest" : value);
    if (!sort) return fail(sort.error());
    sr.sort = *sort;
  }
  if (req.has_param("code")) {
    const std::string value = req.get_param_value("code");
    if (value == "1" || value == "true" || value == "on") {
      sr.has_code = true;
    } else if (!value.empty() && value != "0" && value != "false") {
      return fail(Status::invalid_argument("code: expected 1 (only papers that link their code) or 0, got '" +
                                           value.substr(0, 20) + "'"));
    }
  }
  sr.correct_typos = req.get_param_value("verbatim") != "1";
  return sr;
}

void add_search_routes(RouteContext& ctx) {
  ctx.get("/search", [&ctx](const Request& req) -> Result<Reply> {
    nlohmann::json model = {{"heading", "Search"}, {"nav_search", true}};
    auto sr = search_request(req, kPageSize);
    if (!sr) {
      search::SearchRequest typed;
      typed.query = req.get_param_value("q").substr(0, kMaxQueryBytes);
      model["query"] = typed.query;
      model["title"] = "Search";
      add_controls(model, typed);
      return refused_query(ctx, req, model, sr.error());
    }
    const bool has_filters = !sr->categories.empty() || !sr->from.empty() || !sr->until.empty() || sr->has_code;
    const bool has_query = !sr->query.empty() || has_filters;
    model["title"] = sr->query.empty() ? std::string("Search") : "Search: " + sr->query;
    model["query"] = sr->query;
    add_controls(model, *sr);
    if (!sr->query.empty()) {
      auto named = named_paper_reply(ctx, req, *sr, model);
      if (!named) return fail(named.error());
      if (*named) return std::move(**named);
    }
    if (ctx.search == nullptr) {
      model["unavailable"] = true;
      personalise(ctx, req, model);
      return Reply{.status = http_status(Status::unavailable("search is unavailable")),
                   .body = ctx.views.page("search", model),
                   .max_age_s = 0};
    }
    if (!has_query) {
      auto shown = examples(ctx);
      if (!shown) return fail(shown.error());
      model["examples"] = std::move(*shown);
      model["autofocus"] = true;
      personalise(ctx, req, model);
      return Reply{.body = ctx.views.page("search", model)};
    }
    auto response = ctx.search->search(*sr);
    if (!response) {
      if (response.error().code() != StatusCode::kInvalidArgument) return fail(response.error());
      return refused_query(ctx, req, model, response.error());
    }
    auto papers = papers_for_hits(ctx, response->hits);
    if (!papers) return fail(papers.error());
    model["has_query"] = true;
    add_results(model, *sr, *response, papers->size());
    auto marks = vote_marks(ctx, req, *papers);
    if (!marks) return fail(marks.error());
    model["cards"] = ctx.views.cards(*papers, response->highlight_terms, &*marks);
    // Papers per week for the query (first page only): the chart is an aside, so a trend the
    // index cannot answer yet (still building) leaves it out rather than failing the search.
    if (ctx.trends != nullptr && sr->offset == 0 && !response->hits.empty() && !response->shows_suggestion) {
      auto trend = ctx.trends->weekly(*sr, kTrendWeeks);
      if (trend && trend->papers > 0) {
        model["trend_html"] = trend_chart_html(*trend, "Papers per week with these words, the last year");
      }
    }
    if (!sr->query.empty()) {
      model["feed_atom"] = "/feeds/search.atom?q=" + url_encode(sr->query) + "&mode=" + mode_string(sr->mode);
      auto follow = follow_button_html(ctx, req, app::FollowKind::kSearch, sr->query, "this search");
      if (!follow) return fail(follow.error());
      model["follow_html"] = *follow;
    }
    personalise(ctx, req, model);
    return Reply{.body = ctx.views.page("search", model)};
  });
}

}  // namespace paperboy::web
