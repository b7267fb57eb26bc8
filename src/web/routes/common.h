// What every route file shares: the Reply a handler returns, the RouteContext it registers on,
// and query-parameter parsing (categories, paging) with clear errors. Handlers return Status for
// expected failures; server.cc turns a Status into an HTTP code in exactly one place.
// RouteContext is set up once; handlers run concurrently and must only read it.
#pragma once

#include "web/request.h"

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/author_service.h"
#include "app/curation_service.h"
#include "app/library_service.h"
#include "app/listing_service.h"
#include "app/paper_lookup.h"
#include "app/paper_service.h"
#include "app/profile_service.h"
#include "app/trend_service.h"
#include "app/vote_service.h"
#include "community/accounts.h"
#include "community/rate_limiter.h"
#include "community/submissions.h"
#include "core/signing.h"
#include "core/status.h"
#include "search/search_service.h"
#include "web/period.h"
#include "web/views.h"

namespace paperboy::web {

struct ServerOptions;
class Csrf;

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "text/html; charset=utf-8";
  int max_age_s = 60;                    // Cache-Control max-age
  std::string download_name;             // sets Content-Disposition: attachment
  std::int64_t last_modified = 0;        // seconds; 0: when the store last changed
  std::vector<std::string> set_cookies;  // Set-Cookie values; a reply with cookies is never cached
  std::string location;                  // sets Location (redirects)
  std::int64_t retry_after_s = 0;        // sets Retry-After (429 replies)
  bool varies_by_cookie = false;         // the body depends on the view cookie: Vary: Cookie
};

// The listing view cookie ("grid" or "list"): the reader's choice of listing layout, remembered.
// Its value is part of the response cache key (server.cc), so cached pages differ per view.
inline constexpr const char* kViewCookie = "pb_view";
// "list" when the request's view cookie asks for the list layout, "" otherwise (the default grid).
[[nodiscard]] std::string view_cookie(const Request& req);

using Handler = std::function<Result<Reply>(const Request&)>;

struct RouteContext {
  app::PaperService& papers;      // every read of papers
  search::SearchService* search;  // nullable: search pages then say search is unavailable
  const Views& views;
  const ServerOptions& options;
  // Registers a GET route with response caching, ETag/Last-Modified and error pages.
  std::function<void(const std::string& pattern, Handler)> get;
  std::function<void(const std::string& pattern, Handler)> post;
  std::function<void(const std::string& pattern, Handler)> del;
  // Community features; null when the server runs without them.
  community::AccountService* accounts = nullptr;
  app::VoteService* votes = nullptr;
  const Csrf* csrf = nullptr;
  const core::Signer* signer = nullptr;  // password-reset links
  // The listings as readers see them (featured, submitted, arXiv's; hidden nowhere). Always set.
  app::ListingService* listings = nullptr;
  // Submissions and curation; null when the server runs without them.
  community::SubmissionService* submissions = nullptr;
  app::CurationService* curator = nullptr;
  std::function<void(const std::string& pattern, Handler)> put;
  // Collections, follows and comments; null when off (they need the community features too).
  app::LibraryService* library = nullptr;
  // Co-authors, categories and years for author pages. Always set.
  app::AuthorService* authors = nullptr;
  // Members' public profiles (/users/NAME); null when the library is off.
  app::ProfileService* profiles = nullptr;
  // Papers per week and rising topics; null when search is off.
  app::TrendService* trends = nullptr;

  // The site's absolute base for links in mails, feeds and exports: server.public_url, or the
  // listening address when unset. Never the request's Host header (a client chooses it: mailed
  // reset links and shared-cached feeds would point wherever it says).
  [[nodiscard]] std::string base_url() const;
};

// A JSON reply that is never cached.
[[nodiscard]] Reply json_status(int status, const nlohmann::json& body);
// 303 See Other to `to` (after a form POST).
[[nodiscard]] Reply redirect(const std::string& to);
// The JSON object of an API request body; API bodies must be sent as application/json, which a
// cross-site form cannot do without a CORS preflight.
[[nodiscard]] Result<nlohmann::json> json_body(const Request& req);
// body[name] when it is a string, "" otherwise.
[[nodiscard]] std::string string_field(const nlohmann::json& body, const char* name);

// Every `cat` parameter (several allowed, also comma-separated), validated.
[[nodiscard]] Result<std::vector<std::string>> categories_param(const Request& req);
// `name` as an integer within [min, max]; `fallback` when absent.
[[nodiscard]] Result<int> int_param(const Request& req, const std::string& name, int fallback, int min, int max);
// "lexical" | "semantic" | "hybrid" (default hybrid).
[[nodiscard]] Result<search::Mode> mode_param(const Request& req);
[[nodiscard]] std::string mode_string(search::Mode mode);
// "?cat=a&cat=b" (or "" when none), with `extra` ("page=2") appended.
[[nodiscard]] std::string category_query(const std::vector<std::string>& cats, const std::string& extra = "");

// Papers for search hits, in hit order (hits whose paper is gone are skipped).
[[nodiscard]] Result<std::vector<app::StoredPaper>> papers_for_hits(RouteContext& ctx,
                                                                    const std::vector<search::SearchHit>& hits);

// A page with a heading and paragraphs (errors, placeholders). The first form has the anonymous
// header; the second shows the request's account in it, like every other page.
[[nodiscard]] std::string message_page(const Views& views, const std::string& heading,
                                       const std::vector<std::string>& paragraphs);
[[nodiscard]] std::string message_page(RouteContext& ctx, const Request& req, const std::string& heading,
                                       const std::vector<std::string>& paragraphs);

// "/login?next=NEXT&why=WHY": the login page, which says why a reader was sent there ("upvote",
// "save", "comment", "follow", "submit") and returns them to `next` afterwards. A `next` that is
// not a same-site path (is_same_site_path) is left out, and so is "/".
[[nodiscard]] std::string login_path(std::string_view next, std::string_view why = "");
// The request's `next` parameter when it is a same-site path to return to after logging in; "".
[[nodiscard]] std::string next_param(const Request& req);

// The trending window ending at the newest listing day: "day" (or ""), "week" (7 days), "month" (30).
[[nodiscard]] Result<Period> trending_period(RouteContext& ctx, std::string_view kind);

// The paper named by a URL id (with or without version); not_found / invalid_argument otherwise.
[[nodiscard]] Result<core::Paper> find_paper(RouteContext& ctx, std::string_view raw_id);

// q, mode, limit (default `page_size`, at most 100) and page (1-based) of a search request.
[[nodiscard]] Result<search::SearchRequest> search_request(const Request& req, int page_size);

// The logged-in account of a request: the session cookie, or `Authorization: Bearer TOKEN`
// (`is_bearer` then true). nullopt when anonymous or community features are off.
struct Viewer {
  app::Account account;
  bool is_bearer = false;
};
[[nodiscard]] Result<std::optional<Viewer>> request_viewer(RouteContext& ctx, const Request& req);
// The one authentication guard, for pages and the API alike: the signed-in account (session
// cookie, or Authorization: Bearer TOKEN). Anonymous callers and unknown tokens get
// unauthenticated, which the server answers with 401 JSON under /api/ and a redirect to /login for
// pages. A request that changes state (Access::kChange) with a session cookie must also carry its
// CSRF token (else permission_denied, 403); a Bearer token needs none, since a browser never
// attaches one on its own.
enum class Access { kRead, kChange };
[[nodiscard]] Result<app::Account> signed_in(RouteContext& ctx, const Request& req, Access access);
// Whether a request is personal (session cookie or Authorization): never shared-cached.
[[nodiscard]] bool is_personal_request(const Request& req);
// Adds the layout's account fields (viewer name, logout form CSRF token) to a page model.
void personalise(RouteContext& ctx, const Request& req, nlohmann::json& model);
// What the cards of these papers show beside the paper: vote counts and which the viewer voted
// for, saved, comment counts, featured papers, thumbnails.
[[nodiscard]] Result<VoteMarks> vote_marks(RouteContext& ctx, const Request& req,
                                           std::span<const app::StoredPaper> papers);
// The names of the members who submitted these papers (VoteMarks::submitters), for "submitted by".
[[nodiscard]] Status add_submitters(RouteContext& ctx, std::span<const app::StoredPaper> papers, VoteMarks& marks);
// A page of the trending ranking over a period: papers with votes by TrendingScore, then the rest
// of the period newest first.
[[nodiscard]] Result<std::vector<app::StoredPaper>> trending_papers(RouteContext& ctx, const Period& period,
                                                                    const std::vector<std::string>& cats, int limit,
                                                                    int offset);

// A page of a period's listing as readers see it: papers curators featured first, then papers
// submitted in the period (newest submission first), then arXiv's listing newest first; hidden
// papers nowhere. `total` counts the whole curated listing.
using app::CuratedListing;
[[nodiscard]] Result<CuratedListing> curated_listing(RouteContext& ctx, const Period& period,
                                                     const std::vector<std::string>& cats, int limit, int offset,
                                                     app::ListingSort sort = app::ListingSort::kNewest);
// Ids of the papers curators hid (empty without curation): listings, trending and feeds leave them out.
[[nodiscard]] Result<std::vector<std::string>> hidden_paper_ids(RouteContext& ctx);
// The newest day with papers: arXiv's newest listing day or a later day with submissions.
[[nodiscard]] Result<std::string> newest_listing_day(RouteContext& ctx);

void add_listing_routes(RouteContext& ctx);
void add_auth_routes(RouteContext& ctx);  // /login, /signup, /logout, /account, /api/auth/*
void add_vote_routes(RouteContext& ctx);  // /api/papers/ID/upvote
void add_paper_routes(RouteContext& ctx);
void add_search_routes(RouteContext& ctx);
void add_api_routes(RouteContext& ctx);
void add_feed_routes(RouteContext& ctx);
void add_people_routes(RouteContext& ctx);      // author and category pages
void add_subscribe_routes(RouteContext& ctx);   // e-mail digest subscription pages (subscribe.cc)
void add_recommend_routes(RouteContext& ctx);   // /recommended, /api/recommendations
void add_curation_routes(RouteContext& ctx);    // submit a paper, feature/hide (curation.cc)
void add_collection_routes(RouteContext& ctx);  // /collections, saving papers, exports (collections.cc)
void add_follow_routes(RouteContext& ctx);      // follow buttons, /feed, /api/feed (follows.cc)
void add_comment_routes(RouteContext& ctx);     // comments on papers (comments.cc)
void add_profile_routes(RouteContext& ctx);     // /users/NAME, members' public profiles (profile.cc)
void add_operations_routes(RouteContext& ctx);  // /metrics, /api/openapi.json (operations.cc)
void add_trend_routes(RouteContext& ctx);       // /api/trends, /trends (trends.cc)

}  // namespace paperboy::web
