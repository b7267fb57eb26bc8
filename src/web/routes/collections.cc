// Collections of saved papers: /collections (the viewer's), /collections/ID (public ones for
// anyone, private ones for their owner only: 404 for everyone else, so their existence does not
// leak), BibTeX (/collections/ID.bib) and feeds (/feeds/collection/ID.atom|rss, public only), the
// save form on paper pages and the save toggle on cards, and the JSON API under /api/collections
// ("saved" names the default collection). Who may read and change which collection, names and
// quotas are app::LibraryService's rules; this file parses requests and renders. Cookie requests
// that change something carry a CSRF token.
#include <algorithm>

#include "core/time.h"
#include "web/csrf.h"
#include "web/export.h"
#include "web/html.h"
#include "web/page_text.h"
#include "web/routes/library.h"

namespace paperboy::web {
namespace {

nlohmann::json collection_json(const app::Collection& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"public", c.is_public},
          {"default", c.is_default},
          {"paperCount", c.paper_count},
          {"createdAt", core::format_iso_datetime(c.created_at)},
          {"url", "/collections/" + std::to_string(c.id)}};
}

// The collection of the URL as the request's viewer (or an anonymous one) may read it.
Result<app::CollectionContents> read_collection(RouteContext& ctx, const Request& req) {
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  return ctx.library->read_collection(std::stoll(req.matches[1]), *viewer ? &(*viewer)->account : nullptr);
}

Result<Reply> collection_page(RouteContext& ctx, const Request& req, const app::CollectionContents& contents) {
  const app::Collection& c = contents.collection;
  const auto& papers = contents.papers;
  auto marks = vote_marks(ctx, req, papers);
  if (!marks) return fail(marks.error());
  bool is_owner = contents.is_read_by_owner;
  std::string base = "/collections/" + std::to_string(c.id);
  nlohmann::json model = {
      {"title", c.name},
      {"name", c.name},
      {"is_public", c.is_public},
      {"visibility", c.is_public ? "Public: anyone with the link can read it" : "Private: only you can see it"},
      {"count_text", count_noun(c.paper_count, "paper", "papers")},
      {"cards", ctx.views.cards(papers, {}, &*marks)},
      {"has_papers", !papers.empty()},
      {"bib_url", base + ".bib"},
      {"url", base}};
  if (c.is_public) {
    model["feed_atom"] = "/feeds/collection/" + std::to_string(c.id) + ".atom";
    model["feed_rss"] = "/feeds/collection/" + std::to_string(c.id) + ".rss";
    model["feed_title"] = "Paperboy collection: " + c.name;
  }
  if (is_owner) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& sp : papers) entries.push_back({{"id", sp.paper.id}, {"title", sp.paper.title}});
    model["owner"] = {{"csrf", ctx.csrf->session_token(req)},
                      {"entries", entries},
                      {"make_public", !c.is_public},
                      {"is_default", c.is_default}};
  }
  personalise(ctx, req, model);
  // Private pages are personal (never shared-cached: they carry a session cookie).
  return Reply{.body = ctx.views.page("collection", model), .max_age_s = is_owner ? 0 : 60};
}

Result<Reply> collection_feed(RouteContext& ctx, const Request& req) {
  std::int64_t id = std::stoll(req.matches[1]);
  bool atom = req.matches[2] == "atom";
  // Feed readers fetch without cookies: only public collections have feeds.
  auto contents = ctx.library->read_public_collection(id);
  if (!contents) return fail(contents.error());
  const app::Collection& c = contents->collection;
  std::string base = ctx.base_url();
  FeedInfo info{"Paperboy collection: " + c.name, "Papers in the collection '" + c.name + "'", base + req.path,
                base + "/collections/" + std::to_string(id), core::unix_now()};
  if (contents->last_added_at > 0) info.updated = contents->last_added_at;
  return Reply{.body = atom ? render_atom(info, contents->papers) : render_rss(info, contents->papers),
               .content_type = atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8",
               .max_age_s = 300};
}

Result<Reply> collections_page(RouteContext& ctx, const Request& req, const app::Account& a) {
  auto mine = ctx.library->collections_of(a);
  if (!mine) return fail(mine.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : *mine) list.push_back(collection_json(c));
  nlohmann::json model = {{"title", "Your collections"},
                          {"collections", list},
                          {"has_collections", !mine->empty()},
                          {"csrf", ctx.csrf->session_token(req)}};
  personalise(ctx, req, model);
  return Reply{.body = ctx.views.page("collections", model), .max_age_s = 0};
}

// POST /collections/ID/delete|visibility|remove: the owner's forms on a collection page.
Result<Reply> change_collection(RouteContext& ctx, const Request& req, const app::Account& a) {
  const std::string& ref = req.matches[1];
  const std::string& action = req.matches[2];
  std::int64_t now = core::unix_now();
  if (action == "delete") {
    auto deleted = ctx.library->delete_collection(a, ref, now);
    if (!deleted) return fail(deleted.error());
    return redirect("/collections");
  }
  if (action == "visibility") {
    auto changed = ctx.library->set_collection_public(a, ref, req.get_param_value("public") == "1", now);
    if (!changed) return fail(changed.error());
    return redirect("/collections/" + std::to_string(changed->id));
  }
  auto removed = ctx.library->remove_paper(a, ref, req.get_param_value("paper"), now);
  if (!removed) return fail(removed.error());
  return redirect(back_path(req, "/collections/" + std::to_string(removed->collection.id)));
}

// Save refusals the reader can fix in the paper page's save form, by a fixed code in the URL (never
// the message itself, so a crafted link cannot put words in the form).
std::string save_refusal_code(const Status& s) {
  if (s.code() == StatusCode::kInvalidArgument) return "name";
  if (s.code() == StatusCode::kQuotaExceeded) return "quota";
  return "";
}

std::string save_refusal_text(std::string_view code) {
  if (code == "name") return "Name the new collection: 1 to 100 characters, no line breaks or tabs.";
  if (code == "quota") return "This collection or your account is full: remove a paper or a collection first.";
  return "";
}

void add_collection_pages(RouteContext& ctx) {
  ctx.get("/collections",
          viewing(ctx, [&ctx](const Request& req, const app::Account& a) { return collections_page(ctx, req, a); }));
  ctx.post("/collections", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto c = ctx.library->create_collection(a, req.get_param_value("name"),
                                                     req.get_param_value("public") == "on", core::unix_now());
             if (!c) return fail(c.error());
             return redirect("/collections/" + std::to_string(c->id));
           }));
  ctx.post("/collections/save", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             std::string target = req.get_param_value("collection");
             std::string paper = req.get_param_value("paper");
             std::string name = req.get_param_value("name");
             // One control: a typed name wins over the list (the list alone never names a new one).
             bool is_named = name.find_first_not_of(" \t") != std::string::npos;
             auto saved = is_named || target == "new"
                              ? ctx.library->save_paper_to_named(a, name, req.get_param_value("public") == "on", paper,
                                                                 core::unix_now())
                              : ctx.library->save_paper(a, target.empty() ? "saved" : target, paper, core::unix_now());
             if (!saved) {
               // Back to the paper's save form with the reason and what was typed (DESIGN.md: forms
               // keep their input and show errors next to the field).
               std::string back = back_path(req, "");
               std::string code = save_refusal_code(saved.error());
               if (code.empty() || !back.starts_with("/papers/") || back.find('?') != std::string::npos) {
                 return fail(saved.error());
               }
               return redirect(back + "?save_error=" + code + "&name=" + url_encode(name.substr(0, 100)) + "#save-h");
             }
             return redirect(back_path(req, "/collections/" + std::to_string(saved->collection.id)));
           }));
  ctx.get(R"(/collections/(\d{1,18})\.bib)", [&ctx](const Request& req) -> Result<Reply> {
    auto contents = read_collection(ctx, req);
    if (!contents) return fail(contents.error());
    const app::Collection& c = contents->collection;
    return Reply{.body = bibtex_entries(contents->papers),
                 .content_type = "application/x-bibtex; charset=utf-8",
                 .max_age_s = c.is_public ? 60 : 0,
                 .download_name = "collection-" + std::to_string(c.id) + ".bib"};
  });
  ctx.get(R"(/collections/(\d{1,18}))", [&ctx](const Request& req) -> Result<Reply> {
    auto contents = read_collection(ctx, req);
    if (!contents) return fail(contents.error());
    return collection_page(ctx, req, *contents);
  });
  ctx.post(R"(/collections/(\d{1,18})/(delete|visibility|remove))",
           acting(ctx, [&ctx](const Request& req, const app::Account& a) { return change_collection(ctx, req, a); }));
  ctx.get(R"(/feeds/collection/(\d{1,18})\.(atom|rss))",
          [&ctx](const Request& req) { return collection_feed(ctx, req); });
}

void add_collection_api(RouteContext& ctx) {
  ctx.get("/api/collections", viewing(ctx, [&ctx](const Request&, const app::Account& a) -> Result<Reply> {
            auto mine = ctx.library->collections_of(a);
            if (!mine) return fail(mine.error());
            nlohmann::json list = nlohmann::json::array();
            for (const auto& c : *mine) list.push_back(collection_json(c));
            return json_status(200, list);
          }));
  ctx.post("/api/collections", acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto body = json_body(req);
             if (!body) return fail(body.error());
             auto pub = body->find("public");
             auto c = ctx.library->create_collection(a, string_field(*body, "name"),
                                                     pub != body->end() && pub->is_boolean() && pub->get<bool>(),
                                                     core::unix_now());
             if (!c) return fail(c.error());
             return json_status(201, collection_json(*c));
           }));
  ctx.get(R"(/api/collections/(\d{1,18}|saved))", [&ctx](const Request& req) -> Result<Reply> {
    Result<app::CollectionContents> contents = fail(Status::internal("unset"));
    if (req.matches[1] == "saved") {
      auto viewer = signed_in(ctx, req, Access::kRead);
      if (!viewer) return fail(viewer.error());
      contents = ctx.library->read_saved(*viewer);
    } else {
      contents = read_collection(ctx, req);
    }
    if (!contents) return fail(contents.error());
    nlohmann::json out = collection_json(contents->collection);
    out["papers"] = nlohmann::json::array();
    for (const auto& sp : contents->papers) out["papers"].push_back(paper_api_json(sp.paper));
    return json_status(200, out);
  });
  ctx.del(R"(/api/collections/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto c = ctx.library->delete_collection(a, req.matches[1], core::unix_now());
            if (!c) return fail(c.error());
            return json_status(200, {{"deleted", c->id}});
          }));
  ctx.post(R"(/api/collections/(\d{1,18}|saved)/papers)",
           acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
             auto body = json_body(req);
             if (!body) return fail(body.error());
             auto saved = ctx.library->save_paper(a, req.matches[1], string_field(*body, "id"), core::unix_now());
             if (!saved) return fail(saved.error());
             return json_status(saved->changed ? 201 : 200,
                                {{"collection", saved->collection.id}, {"added", saved->changed}, {"saved", true}});
           }));
  ctx.del(R"(/api/collections/(\d{1,18}|saved)/papers/(.+))",
          acting(ctx, [&ctx](const Request& req, const app::Account& a) -> Result<Reply> {
            auto removed = ctx.library->remove_paper(a, req.matches[1], req.matches[2], core::unix_now());
            if (!removed) return fail(removed.error());
            return json_status(
                200, {{"collection", removed->collection.id}, {"removed", removed->changed}, {"saved", false}});
          }));
}

}  // namespace

Result<std::string> save_form_html(RouteContext& ctx, const Request& req, const std::string& paper_id) {
  if (ctx.library == nullptr) return std::string();
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  nlohmann::json model = {{"paper", paper_id}, {"login_url", login_path("/papers/" + paper_id, "save")}};
  if (*viewer && !(*viewer)->is_bearer) {
    auto places = ctx.library->save_places((*viewer)->account, paper_id);
    if (!places) return fail(places.error());
    nlohmann::json options = nlohmann::json::array();
    nlohmann::json saved_in = nlohmann::json::array();
    bool has_default = false;
    for (const auto& c : places->collections) {
      has_default = has_default || c.is_default;
      bool in = std::ranges::find(places->holding, c.id) != places->holding.end();
      options.push_back({{"value", std::to_string(c.id)}, {"name", c.name}});
      if (in) saved_in.push_back({{"name", c.name}, {"url", "/collections/" + std::to_string(c.id)}});
    }
    // The default collection is made on first save; offer it before it exists.
    // One object (a braced list here would pick insert()'s initializer-list overload: two arrays).
    if (!has_default) {
      options.insert(options.begin(),
                     nlohmann::json{{"value", "saved"}, {"name", std::string(app::kDefaultCollectionName)}});
    }
    std::string error = save_refusal_text(req.get_param_value("save_error"));
    model["form"] = {{"csrf", ctx.csrf->session_token(req)},
                     {"error", error},
                     {"typed_name", error.empty() ? "" : req.get_param_value("name")},
                     {"options", options},
                     {"saved_in", saved_in},
                     {"is_saved", !saved_in.empty()},
                     {"back", "/papers/" + paper_id}};
  }
  return ctx.views.render("save_form", model);
}

void add_collection_routes(RouteContext& ctx) {
  add_collection_pages(ctx);
  add_collection_api(ctx);
}

}  // namespace paperboy::web
