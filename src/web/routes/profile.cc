// Members' public profile pages: /users/ID (the links the site makes) and /users/NAME (the oldest
// account with that display name). What a profile shows, and never shows (e-mail, private
// collections, votes, follows), is app::ProfileService's rule; this file parses and renders.
#include "core/time.h"
#include "web/markdown.h"
#include "web/page_text.h"
#include "web/routes/library.h"

namespace paperboy::web {

std::string profile_path(std::int64_t account_id) {
  return "/users/" + std::to_string(account_id);
}

namespace {

nlohmann::json profile_model(const app::MemberProfile& m, std::int64_t now) {
  nlohmann::json collections = nlohmann::json::array();
  for (const auto& c : m.public_collections) {
    collections.push_back({{"name", c.name},
                           {"url", "/collections/" + std::to_string(c.id)},
                           {"count_text", count_noun(c.paper_count, "paper", "papers")}});
  }
  nlohmann::json comments = nlohmann::json::array();
  for (const auto& pc : m.comments) {
    const app::Comment& c = pc.comment;
    comments.push_back({{"paper_title", pc.paper_title.empty() ? c.paper_id : pc.paper_title},
                        {"url", "/papers/" + c.paper_id + "#comment-" + std::to_string(c.id)},
                        {"is_reply", c.parent_id != 0},
                        {"html", render_markdown(c.body)},
                        {"created", core::format_iso_datetime(c.created_at)},
                        {"created_label", relative_time(c.created_at, now)},
                        {"created_title", plain_date(c.created_at) + ", " +
                                              core::format_iso_datetime(c.created_at).substr(11, 5) + " UTC"}});
  }
  nlohmann::json submissions = nlohmann::json::array();
  for (const auto& ps : m.submissions) {
    submissions.push_back({{"title", ps.paper_title},
                           {"url", "/papers/" + ps.submission.paper_id},
                           {"day", ps.submission.listing_day},
                           {"day_label", plain_date(ps.submission.submitted_at)}});
  }
  return {{"title", m.name},
          {"description", m.name + " on Paperboy: public collections, comments and submitted papers."},
          {"name", m.name},
          {"joined", core::format_iso_datetime(m.joined_at)},
          {"joined_label", plain_date(m.joined_at)},
          {"collections", collections},
          {"has_collections", !collections.empty()},
          {"comments", comments},
          {"has_comments", !comments.empty()},
          {"comments_count", count_noun(static_cast<std::int64_t>(comments.size()), "comment", "comments")},
          {"submissions", submissions},
          {"has_submissions", !submissions.empty()},
          {"canonical", profile_path(m.id)}};
}

}  // namespace

void add_profile_routes(RouteContext& ctx) {
  ctx.get(R"(/users/([^/]+))", [&ctx](const Request& req) -> Result<Reply> {
    auto profile = ctx.profiles->profile(req.matches[1]);
    if (!profile) return fail(profile.error());
    nlohmann::json model = profile_model(*profile, core::unix_now());
    personalise(ctx, req, model);
    return Reply{.body = ctx.views.page("profile", model)};
  });
}

}  // namespace paperboy::web
