// Collections of saved papers: /collections (the viewer's), /collections/ID (public ones for
// anyone, private ones for their owner only: 404 for everyone else, so their existence does not
// leak), BibTeX (/collections/ID.bib) and feeds (/feeds/collection/ID.atom|rss, public only), the
// save form on paper pages and the save toggle on cards, and the JSON API under /api/collections
// ("saved" names the default collection). Changes need the owner; cookie requests a CSRF token.
#include <algorithm>
#include <charconv>

#include "core/time.h"
#include "web/csrf.h"
#include "web/export.h"
#include "web/routes/library.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

constexpr int kPageEntries = 200;  // papers shown on a collection page, feed and export
constexpr size_t kMaxNameBytes = 100;

nlohmann::json collection_json(const store::Collection& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"public", c.is_public},
          {"default", c.is_default},
          {"paperCount", c.paper_count},
          {"createdAt", core::format_iso_datetime(c.created_at)},
          {"url", "/collections/" + std::to_string(c.id)}};
}

Result<std::string> collection_name(std::string name) {
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())) != 0) name.pop_back();
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())) != 0) name.erase(0, 1);
  if (name.empty()) return fail(Status::invalid_argument("name: a collection needs a name"));
  if (name.size() > kMaxNameBytes) return fail(Status::invalid_argument("name: at most 100 bytes"));
  if (name.find_first_of("\r\n\t") != std::string::npos) {
    return fail(Status::invalid_argument("name: no line breaks or tabs"));
  }
  return name;
}

// A collection the request may read: public ones, or the viewer's own. Others are not found,
// exactly like ids that do not exist.
Result<store::Collection> readable_collection(RouteContext& ctx, const Request& req, std::int64_t id) {
  auto c = ctx.library->get_collection(id);
  if (!c) return fail(c.error());
  std::string missing = "no collection " + std::to_string(id);
  if (!*c) return fail(Status::not_found(missing));
  if ((*c)->is_public) return std::move(**c);
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  if (*viewer && (*viewer)->account.id == (*c)->account_id) return std::move(**c);
  return fail(Status::not_found(missing));
}

// A collection `account` may change: "saved" (its default), or one of its own by id. Someone
// else's public collection is forbidden (it is visible, not theirs); a private one is not found.
Result<store::Collection> owned_collection(RouteContext& ctx, const store::Account& account, const std::string& raw) {
  if (raw == "saved") return ctx.library->default_collection(account.id, core::unix_now());
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
  if (ec != std::errc() || ptr != raw.data() + raw.size()) {
    return fail(Status::invalid_argument("'" + raw + "' is not a collection id"));
  }
  auto c = ctx.library->get_collection(id);
  if (!c) return fail(c.error());
  if (!*c || (!(*c)->is_public && (*c)->account_id != account.id)) {
    return fail(Status::not_found("no collection " + raw));
  }
  if ((*c)->account_id != account.id) return fail(Status::permission_denied("this collection is not yours"));
  return std::move(**c);
}

Result<std::vector<store::StoredPaper>> collection_papers(RouteContext& ctx, const store::Collection& c) {
  auto entries = ctx.library->collection_entries(c.id, kPageEntries, 0);
  if (!entries) return fail(entries.error());
  std::vector<std::string> ids;
  for (const auto& e : *entries) ids.push_back(e.paper_id);
  return papers_by_ids(ctx.store, ids);
}

Result<bool> add_paper(RouteContext& ctx, const store::Collection& c, const std::string& raw_paper) {
  auto paper = find_paper(ctx.store, raw_paper);
  if (!paper) return fail(paper.error());
  if (c.paper_count >= ctx.options.library_options.max_collection_papers) {
    return fail(Status::resource_exhausted(
        "a collection holds at most " + std::to_string(ctx.options.library_options.max_collection_papers) + " papers"));
  }
  return ctx.library->add_to_collection(c.id, paper->id, core::unix_now());
}

Result<store::Collection> create(RouteContext& ctx, const store::Account& account, const std::string& raw_name,
                                 bool is_public) {
  auto name = collection_name(raw_name);
  if (!name) return fail(name.error());
  auto mine = ctx.library->collections_of(account.id);
  if (!mine) return fail(mine.error());
  if (static_cast<int>(mine->size()) >= ctx.options.library_options.max_collections) {
    return fail(Status::resource_exhausted("at most " + std::to_string(ctx.options.library_options.max_collections) +
                                           " collections per account"));
  }
  return ctx.library->create_collection(account.id, *name, is_public, core::unix_now());
}

Result<Reply> collection_page(RouteContext& ctx, const Request& req, const store::Collection& c) {
  auto papers = collection_papers(ctx, c);
  if (!papers) return fail(papers.error());
  auto marks = vote_marks(ctx, req, *papers);
  if (!marks) return fail(marks.error());
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  bool is_owner = *viewer && (*viewer)->account.id == c.account_id;
  std::string base = "/collections/" + std::to_string(c.id);
  nlohmann::json model = {
      {"title", c.name},
      {"name", c.name},
      {"is_public", c.is_public},
      {"visibility", c.is_public ? "Public: anyone with the link can read it" : "Private: only you can see it"},
      {"count_text", std::to_string(c.paper_count) + (c.paper_count == 1 ? " paper" : " papers")},
      {"cards", ctx.views.cards(*papers, {}, &*marks)},
      {"has_papers", !papers->empty()},
      {"bib_url", base + ".bib"},
      {"url", base}};
  if (c.is_public) {
    model["feed_atom"] = "/feeds/collection/" + std::to_string(c.id) + ".atom";
    model["feed_rss"] = "/feeds/collection/" + std::to_string(c.id) + ".rss";
    model["feed_title"] = "Paperboy collection: " + c.name;
  }
  if (is_owner) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& sp : *papers) entries.push_back({{"id", sp.paper.id}, {"title", sp.paper.title}});
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
  auto c = ctx.library->get_collection(id);
  if (!c) return fail(c.error());
  // Feed readers fetch without cookies: only public collections have feeds.
  if (!*c || !(*c)->is_public) return fail(Status::not_found("no public collection " + std::to_string(id)));
  auto papers = collection_papers(ctx, **c);
  if (!papers) return fail(papers.error());
  std::string base = ctx.base_url();
  FeedInfo info{"Paperboy collection: " + (*c)->name, "Papers in the collection '" + (*c)->name + "'", base + req.path,
                base + "/collections/" + std::to_string(id), core::unix_now()};
  if (!papers->empty()) {
    auto entries = ctx.library->collection_entries(id, 1, 0);
    if (entries && !entries->empty()) info.updated = entries->front().added_at;
  }
  return Reply{.body = atom ? render_atom(info, *papers) : render_rss(info, *papers),
               .content_type = atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8",
               .max_age_s = 300};
}

void add_collection_pages(RouteContext& ctx) {
  ctx.get("/collections", viewing(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
            auto mine = ctx.library->collections_of(a.id);
            if (!mine) return fail(mine.error());
            nlohmann::json list = nlohmann::json::array();
            for (const auto& c : *mine) list.push_back(collection_json(c));
            nlohmann::json model = {{"title", "Your collections"},
                                    {"collections", list},
                                    {"has_collections", !mine->empty()},
                                    {"csrf", ctx.csrf->session_token(req)}};
            personalise(ctx, req, model);
            return Reply{.body = ctx.views.page("collections", model), .max_age_s = 0};
          }));
  ctx.post("/collections", acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             auto c = create(ctx, a, req.get_param_value("name"), req.get_param_value("public") == "on");
             if (!c) return fail(c.error());
             return redirect("/collections/" + std::to_string(c->id));
           }));
  ctx.post("/collections/save", acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             std::string target = req.get_param_value("collection");
             Result<store::Collection> c = fail(Status::internal("unset"));
             if (target == "new") {
               c = create(ctx, a, req.get_param_value("name"), req.get_param_value("public") == "on");
             } else {
               c = owned_collection(ctx, a, target.empty() ? "saved" : target);
             }
             if (!c) return fail(c.error());
             auto added = add_paper(ctx, *c, req.get_param_value("paper"));
             if (!added) return fail(added.error());
             return redirect(back_path(req, "/collections/" + std::to_string(c->id)));
           }));
  ctx.get(R"(/collections/(\d{1,18})\.bib)", [&ctx](const Request& req) -> Result<Reply> {
    auto c = readable_collection(ctx, req, std::stoll(req.matches[1]));
    if (!c) return fail(c.error());
    auto papers = collection_papers(ctx, *c);
    if (!papers) return fail(papers.error());
    return Reply{.body = bibtex_entries(*papers),
                 .content_type = "application/x-bibtex; charset=utf-8",
                 .max_age_s = c->is_public ? 60 : 0,
                 .download_name = "collection-" + std::to_string(c->id) + ".bib"};
  });
  ctx.get(R"(/collections/(\d{1,18}))", [&ctx](const Request& req) -> Result<Reply> {
    auto c = readable_collection(ctx, req, std::stoll(req.matches[1]));
    if (!c) return fail(c.error());
    return collection_page(ctx, req, *c);
  });
  ctx.post(R"(/collections/(\d{1,18})/(delete|visibility|remove))",
           acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             auto c = owned_collection(ctx, a, req.matches[1]);
             if (!c) return fail(c.error());
             std::string action = req.matches[2];
             std::string page = "/collections/" + std::to_string(c->id);
             if (action == "delete") {
               if (Status s = ctx.library->delete_collection(c->id); !s.is_ok()) return fail(s);
               return redirect("/collections");
             }
             if (action == "visibility") {
               bool make_public = req.get_param_value("public") == "1";
               if (Status s = ctx.library->set_collection_public(c->id, make_public); !s.is_ok()) return fail(s);
               return redirect(page);
             }
             auto removed = ctx.library->remove_from_collection(c->id, req.get_param_value("paper"));
             if (!removed) return fail(removed.error());
             return redirect(back_path(req, page));
           }));
  ctx.get(R"(/feeds/collection/(\d{1,18})\.(atom|rss))",
          [&ctx](const Request& req) { return collection_feed(ctx, req); });
}

void add_collection_api(RouteContext& ctx) {
  ctx.get("/api/collections", viewing(ctx, [&ctx](const Request&, const store::Account& a) -> Result<Reply> {
            auto mine = ctx.library->collections_of(a.id);
            if (!mine) return fail(mine.error());
            nlohmann::json list = nlohmann::json::array();
            for (const auto& c : *mine) list.push_back(collection_json(c));
            return json_status(200, list);
          }));
  ctx.post("/api/collections", acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             auto body = json_body(req);
             if (!body) return fail(body.error());
             auto pub = body->find("public");
             auto c = create(ctx, a, string_field(*body, "name"),
                             pub != body->end() && pub->is_boolean() && pub->get<bool>());
             if (!c) return fail(c.error());
             return json_status(201, collection_json(*c));
           }));
  ctx.get(R"(/api/collections/(\d{1,18}|saved))", [&ctx](const Request& req) -> Result<Reply> {
    Result<store::Collection> c = fail(Status::internal("unset"));
    if (req.matches[1] == "saved") {
      auto viewer = signed_in(ctx, req, Access::kRead);
      if (!viewer) return fail(viewer.error());
      // A read creates nothing: an account that never saved a paper sees an empty "Saved".
      auto mine = ctx.library->collections_of(viewer->id);
      if (!mine) return fail(mine.error());
      auto it = std::find_if(mine->begin(), mine->end(), [](const store::Collection& x) { return x.is_default; });
      c = it != mine->end() ? *it : store::Collection{.account_id = viewer->id, .name = "Saved", .is_default = true};
    } else {
      c = readable_collection(ctx, req, std::stoll(req.matches[1]));
    }
    if (!c) return fail(c.error());
    auto papers = collection_papers(ctx, *c);
    if (!papers) return fail(papers.error());
    nlohmann::json out = collection_json(*c);
    out["papers"] = nlohmann::json::array();
    for (const auto& sp : *papers) out["papers"].push_back(paper_api_json(sp.paper));
    Reply r = json_status(200, out);
    return r;
  });
  ctx.del(R"(/api/collections/(\d{1,18}))",
          acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
            auto c = owned_collection(ctx, a, req.matches[1]);
            if (!c) return fail(c.error());
            if (Status s = ctx.library->delete_collection(c->id); !s.is_ok()) return fail(s);
            return json_status(200, {{"deleted", c->id}});
          }));
  ctx.post(R"(/api/collections/(\d{1,18}|saved)/papers)",
           acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
             auto body = json_body(req);
             if (!body) return fail(body.error());
             auto c = owned_collection(ctx, a, req.matches[1]);
             if (!c) return fail(c.error());
             auto added = add_paper(ctx, *c, string_field(*body, "id"));
             if (!added) return fail(added.error());
             return json_status(*added ? 201 : 200, {{"collection", c->id}, {"added", *added}, {"saved", true}});
           }));
  ctx.del(R"(/api/collections/(\d{1,18}|saved)/papers/(.+))",
          acting(ctx, [&ctx](const Request& req, const store::Account& a) -> Result<Reply> {
            auto c = owned_collection(ctx, a, req.matches[1]);
            if (!c) return fail(c.error());
            auto paper = find_paper(ctx.store, req.matches[2]);
            if (!paper) return fail(paper.error());
            auto removed = ctx.library->remove_from_collection(c->id, paper->id);
            if (!removed) return fail(removed.error());
            return json_status(200, {{"collection", c->id}, {"removed", *removed}, {"saved", false}});
          }));
}

}  // namespace

Result<std::string> save_form_html(RouteContext& ctx, const Request& req, const std::string& paper_id) {
  if (ctx.library == nullptr) return std::string();
  auto viewer = request_viewer(ctx, req);
  if (!viewer) return fail(viewer.error());
  nlohmann::json model = {{"paper", paper_id}};
  if (*viewer && !(*viewer)->is_bearer) {
    auto mine = ctx.library->collections_of((*viewer)->account.id);
    if (!mine) return fail(mine.error());
    auto holding = ctx.library->collections_with_paper((*viewer)->account.id, paper_id);
    if (!holding) return fail(holding.error());
    nlohmann::json options = nlohmann::json::array();
    nlohmann::json saved_in = nlohmann::json::array();
    bool has_default = false;
    for (const auto& c : *mine) {
      has_default = has_default || c.is_default;
      bool in = std::find(holding->begin(), holding->end(), c.id) != holding->end();
      options.push_back({{"value", std::to_string(c.id)}, {"name", c.name}});
      if (in) saved_in.push_back({{"name", c.name}, {"url", "/collections/" + std::to_string(c.id)}});
    }
    // The default collection is made on first save; offer it before it exists.
    if (!has_default) options.insert(options.begin(), {{"value", "saved"}, {"name", store::kDefaultCollectionName}});
    model["form"] = {{"csrf", ctx.csrf->session_token(req)},
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
