// Comments on papers: the paper page's comment section and form (POST /papers/ID/comments), edit
// (/comments/ID/edit) and delete (/comments/ID/delete) pages, and the JSON API:
// GET/POST /api/papers/ID/comments, PUT/DELETE /api/comments/ID. Markdown is rendered safely
// (web/markdown.h). Who may edit and delete, the size limit, the per-account rate and where a
// reply goes (one level of nesting) are app::LibraryService's rules; this file parses requests
// and renders. A deleted comment with replies shows as "[deleted]" above them.
#include <charconv>
#include <map>

#include "core/time.h"
#include "web/csrf.h"
#include "web/markdown.h"
#include "web/page_text.h"
#include "web/routes/library.h"

namespace paperboy::web {
namespace {

struct AuthorName {
  std::string name;
  std::string url;  // the profile; "" for a deleted account
};

// Account names for comment authors, looked up once per author.
class AuthorNames {
 public:
  explicit AuthorNames(RouteContext& ctx) : ctx_(ctx) {}
  Result<AuthorName> operator()(std::int64_t id) {
    if (auto it = names_.find(id); it != names_.end()) return it->second;
    auto account = ctx_.accounts->find(id);
    if (!account) return fail(account.error());
    AuthorName out{*account ? (*account)->name : "former member", *account ? profile_path(id) : ""};
    if (out.name.empty()) out.name = "member " + std::to_string(id);
    names_[id] = out;
    return out;
  }

 private:
  RouteContext& ctx_;
  std::map<std::int64_t, AuthorName> names_;
};

Result<nlohmann::json> comment_json(const app::Comment& c, AuthorNames& names) {
  auto name = names(c.account_id);
  if (!name) return fail(name.error());
  nlohmann::json j = {{"id", c.id},
                      {"paperId", c.paper_id},
                      {"parentId", c.parent_id != 0 ? nlohmann::json(c.parent_id) : nlohmann::json(nullptr)},
                      {"author", {{"id", c.account_id}, {"name", name->name}}},
                      {"body", c.body},
                      {"html", render_markdown(c.body)},
                      {"createdAt", core::format_iso_datetime(c.created_at)},
                      {"editedAt", c.edited_at > 0 ? nlohmann::json(core::format_iso_datetime(c.edited_at)) : nullptr}};
  return j;
}

// The form's parent_id field: 0 when absent; -1 (which the service refuses) when not a number.
std::int64_t parent_field(const std::string& value) {
  if (value.empty()) return 0;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
  return ec == std::errc() && end == value.data() + value.size() ? id : -1;
}

// A refused comment goes back into its form on the paper page, with the reason; errors that are
// not about what was typed (the paper, the session) get the usual error page.
Result<Reply> refused_comment(RouteContext& ctx, const Request& req, CommentDraft draft, const Status& why) {
  bool is_input = why.code() == StatusCode::kInvalidArgument || why.code() == StatusCode::kRateLimited;
  if (!is_input) return fail(why);
  auto paper = find_paper(ctx, req.matches[1]);
  if (!paper) return fail(why);
  draft.error = why.message();
  auto page = paper_page(ctx, req, *paper, &draft);
  if (!page) return fail(page.error());
  page->status = why.code() == StatusCode::kRateLimited ? 429 : 422;
  page->retry_after_s = why.code() == StatusCode::kRateLimited ? why.retry_after_s() : 0;
  page->max_age_s = 0;
  return page;
}

void add_comment_pages(RouteContext& ctx) {
  ctx.post(R"(/papers/(.+)/comments)", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             CommentDraft draft{parent_field(req.get_param_value("parent_id")), req.get_param_value("body"), ""};
             auto c = ctx.library->add_comment(a, req.matches[1], draft.body, core::unix_now(), draft.parent_id);
             if (!c) return refused_comment(ctx, req, std::move(draft), c.error());
             return redirect("/papers/" + c->paper_id + "#comment-" + std::to_string(c->id));
           }));
  ctx.get(R"(/comments/(\d{1,18})/edit)",
          viewing(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto c = ctx.library->editable_comment(a, std::stoll(req.matches[1]));
            if (!c) return fail(c.error());
            nlohmann::json model = {{"title", "Edit your comment"},
                                    {"id", c->id},
                                    {"body", c->body},
                                    {"paper_id", c->paper_id},
                                    {"csrf", ctx.csrf->session_token(req)},
                                    {"max_bytes", ctx.library->options().comment_max_bytes}};
            personalise(ctx, req, model);
            return Reply{.body = ctx.views.page("comment_edit", model), .max_age_s = 0};
          }));
  ctx.post(R"(/comments/(\d{1,18})/delete)",
           acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto c = ctx.library->delete_comment(a, std::stoll(req.matches[1]));
             if (!c) return fail(c.error());
             return redirect("/papers/" + c->paper_id + "#comments");
           }));
  ctx.post(
      R"(/comments/(\d{1,18})/edit)", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
        auto c =
            ctx.library->edit_comment(a, std::stoll(req.matches[1]), req.get_param_value("body"), core::unix_now());
        if (!c) return fail(c.error());
        return redirect("/papers/" + c->paper_id + "#comment-" + std::to_string(c->id));
      }));
}

void add_comment_api(RouteContext& ctx) {
  ctx.get(R"(/api/papers/(.+)/comments)", [&ctx](const Request& req) -> Result<Reply> {
    auto comments = ctx.library->comments_on(req.matches[1]);
    if (!comments) return fail(comments.error());
    AuthorNames names(ctx);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *comments) {
      auto j = comment_json(c, names);
      if (!j) return fail(j.error());
      out.push_back(std::move(*j));
    }
    return Reply{.body = out.dump(), .content_type = "application/json", .max_age_s = 0};
  });
  ctx.post(
      R"(/api/papers/(.+)/comments)", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
        auto body = json_body(req);
        if (!body) return fail(body.error());
        std::int64_t parent = 0;
        if (auto it = body->find("parentId"); it != body->end() && !it->is_null()) {
          if (!it->is_number_integer()) {
            return fail(Status::invalid_argument("parentId: expected a comment id or null"));
          }
          parent = it->get<std::int64_t>();
        }
        auto c = ctx.library->add_comment(a, req.matches[1], string_field(*body, "body"), core::unix_now(), parent);
        if (!c) return fail(c.error());
        AuthorNames names(ctx);
        auto j = comment_json(*c, names);
        if (!j) return fail(j.error());
        return json_status(201, *j);
      }));
  ctx.put(R"(/api/comments/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto body = json_body(req);
            if (!body) return fail(body.error());
            auto c =
                ctx.library->edit_comment(a, std::stoll(req.matches[1]), string_field(*body, "body"), core::unix_now());
            if (!c) return fail(c.error());
            AuthorNames names(ctx);
            auto j = comment_json(*c, names);
            if (!j) return fail(j.error());
            return json_status(200, *j);
          }));
  ctx.del(R"(/api/comments/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto c = ctx.library->delete_comment(a, std::stoll(req.matches[1]));
            if (!c) return fail(c.error());
            return json_status(200, {{"deleted", c->id}});
          }));
}

}  // namespace

namespace {

// The fields comments.mustache reads for one comment. Every key is set on replies too, so a
// missing one never falls back to the enclosing thread's value.
Result<nlohmann::json> comment_model(const app::Comment& c, AuthorNames& names, const app::Account* me,
                                     const std::string& csrf, std::int64_t now) {
  auto name = names(c.account_id);
  if (!name) return fail(name.error());
  return nlohmann::json{{"id", c.id},
                        {"is_deleted", false},
                        {"author", name->name},
                        {"author_url", name->url},
                        {"html", render_markdown(c.body)},
                        {"created", core::format_iso_datetime(c.created_at)},
                        {"created_label", relative_time(c.created_at, now)},
                        {"created_title", plain_date(c.created_at) + ", " +
                                              core::format_iso_datetime(c.created_at).substr(11, 5) + " UTC"},
                        {"edited", c.edited_at > 0},
                        {"can_edit", me != nullptr && app::LibraryService::may_edit(*me, c)},
                        {"can_delete", me != nullptr && app::LibraryService::may_delete(*me, c)},
                        {"csrf", csrf}};
}

}  // namespace

Result<std::string> comments_html(RouteContext& ctx, const Request& req, const std::string& paper_id,
                                  const CommentDraft* draft) {
  if (ctx.library == nullptr) return std::string();
  auto comments = ctx.library->comments_on(paper_id);
  if (!comments) return fail(comments.error());
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  const app::Account* me = *viewer && !(*viewer)->is_bearer ? &(*viewer)->account : nullptr;
  std::string csrf = me != nullptr ? ctx.csrf->session_token(req) : "";
  AuthorNames names(ctx);
  std::int64_t now = core::unix_now();
  // Threads in the order of their top-level comment; comments come oldest first, so a parent
  // precedes its replies, and a reply whose parent is gone opens a "[deleted]" thread.
  nlohmann::json threads = nlohmann::json::array();
  std::map<std::int64_t, size_t> thread_at;
  auto empty_thread = [](std::int64_t id) {
    return nlohmann::json{
        {"id", id}, {"is_deleted", true}, {"replies", nlohmann::json::array()}, {"reply_form", false}};
  };
  for (const auto& c : *comments) {
    auto model = comment_model(c, names, me, csrf, now);
    if (!model) return fail(model.error());
    if (c.parent_id == 0) {
      (*model)["replies"] = nlohmann::json::array();
      thread_at[c.id] = threads.size();
      threads.push_back(std::move(*model));
      continue;
    }
    auto it = thread_at.find(c.parent_id);
    if (it == thread_at.end()) {
      it = thread_at.emplace(c.parent_id, threads.size()).first;
      threads.push_back(empty_thread(c.parent_id));
    }
    threads[it->second]["replies"].push_back(std::move(*model));
  }
  bool is_draft_placed = false;
  for (auto& t : threads) {
    t["has_replies"] = !t["replies"].empty();
    if (me == nullptr || t["is_deleted"].get<bool>()) {
      t["reply_form"] = false;
      continue;
    }
    std::int64_t id = t["id"].get<std::int64_t>();
    bool is_mine = draft != nullptr && draft->parent_id == id;
    is_draft_placed = is_draft_placed || is_mine;
    t["reply_form"] = {{"parent_id", std::to_string(id)},
                       {"is_open", is_mine},
                       {"body", is_mine ? draft->body : ""},
                       {"error", is_mine ? draft->error : ""}};
  }
  nlohmann::json model = {{"threads", threads},
                          {"has_comments", !comments->empty()},
                          {"count", std::to_string(comments->size())},
                          {"paper_id", paper_id},
                          {"login_url", login_path("/papers/" + paper_id + "#comments", "comment")},
                          {"max_bytes", ctx.library->options().comment_max_bytes}};
  if (me != nullptr) {
    // A draft whose thread cannot take replies (its comment was deleted meanwhile) comes back in
    // the new-comment form, so the text is never lost.
    bool is_main = draft != nullptr && !is_draft_placed;
    model["form"] = {{"csrf", csrf}, {"body", is_main ? draft->body : ""}, {"error", is_main ? draft->error : ""}};
  }
  return ctx.views.render("comments", model);
}

void add_comment_routes(RouteContext& ctx) {
  add_comment_pages(ctx);
  add_comment_api(ctx);
}

}  // namespace paperboy::web
