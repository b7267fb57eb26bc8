#include "web/routes/common.h"

#include <charconv>

#include "web/html.h"
#include "web/server.h"

namespace paperboy::web {

std::string RouteContext::base_url() const {
  std::string url = options.public_url;
  if (url.empty()) {
    bool is_ipv6 = options.host.find(':') != std::string::npos;
    url = "http://" + (is_ipv6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(options.port);
  }
  while (url.ends_with('/')) url.pop_back();
  return url;
}

Reply json_status(int status, const nlohmann::json& body) {
  return Reply{.status = status, .body = body.dump(), .content_type = "application/json", .max_age_s = 0};
}

Reply redirect(const std::string& to) {
  return Reply{.status = 303, .body = "", .max_age_s = 0, .location = to};
}

Result<nlohmann::json> json_body(const Request& req) {
  if (!req.get_header_value("Content-Type").starts_with("application/json")) {
    return fail(Status::invalid_argument("expected a JSON body (Content-Type: application/json)"));
  }
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return fail(Status::invalid_argument("body: expected a JSON object"));
  return body;
}

std::string string_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<std::vector<std::string>> categories_param(const Request& req) {
  std::vector<std::string> out;
  size_t n = req.get_param_value_count("cat");
  for (size_t i = 0; i < n; ++i) {
    std::string value = req.get_param_value("cat", i);
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      std::string cat = value.substr(start, comma - start);
      start = comma + 1;
      if (cat.empty()) continue;
      if (cat.size() > 32 ||
          cat.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") !=
              std::string::npos) {
        return fail(Status::invalid_argument("cat: '" + cat + "' is not an arXiv category such as cs.LG"));
      }
      if (std::find(out.begin(), out.end(), cat) == out.end()) out.push_back(cat);
    }
  }
  if (out.size() > 20) return fail(Status::invalid_argument("cat: at most 20 categories"));
  return out;
}

Result<int> int_param(const Request& req, const std::string& name, int fallback, int min, int max) {
  if (!req.has_param(name.c_str())) return fallback;
  std::string text = req.get_param_value(name.c_str());
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) {
    return fail(Status::invalid_argument(name + ": expected a whole number from " + std::to_string(min) + " to " +
                                         std::to_string(max) + ", got '" + text + "'"));
  }
  return value;
}

Result<search::Mode> mode_param(const Request& req) {
  std::string text = req.has_param("mode") ? req.get_param_value("mode") : "";
  if (text.empty()) return search::Mode::kHybrid;
  auto mode = search::parse_mode(text);
  if (!mode) return fail(mode.error().with_context("mode"));
  return *mode;
}

std::string mode_string(search::Mode mode) {
  return std::string(search::mode_name(mode));
}

std::string category_query(const std::vector<std::string>& cats, const std::string& extra) {
  std::string q;
  for (const auto& c : cats) q += (q.empty() ? "?cat=" : "&cat=") + url_encode(c);
  if (!extra.empty()) q += (q.empty() ? "?" : "&") + extra;
  return q;
}

Result<std::vector<app::StoredPaper>> papers_for_hits(RouteContext& ctx, const std::vector<search::SearchHit>& hits) {
  return ctx.papers.for_hits(hits);
}

Result<core::Paper> find_paper(RouteContext& ctx, std::string_view raw_id) {
  return ctx.papers.find(raw_id);
}

std::string message_page(const Views& views, const std::string& heading, const std::vector<std::string>& paragraphs) {
  return views.page("message", {{"title", heading}, {"heading", heading}, {"paragraphs", paragraphs}});
}

std::string message_page(RouteContext& ctx, const Request& req, const std::string& heading,
                         const std::vector<std::string>& paragraphs) {
  nlohmann::json model = {{"title", heading}, {"heading", heading}, {"paragraphs", paragraphs}};
  personalise(ctx, req, model);
  return ctx.views.page("message", model);
}

std::string login_path(std::string_view next, std::string_view why) {
  std::string query;
  if (next != "/" && is_same_site_path(next)) query = "next=" + url_encode(next);
  if (!why.empty()) query += (query.empty() ? "" : "&") + std::string("why=") + url_encode(why);
  return query.empty() ? "/login" : "/login?" + query;
}

std::string next_param(const Request& req) {
  std::string next = req.has_param("next") ? req.get_param_value("next") : "";
  // Never back to the login pages themselves (a loop after logging in).
  bool is_auth_page = next.starts_with("/login") || next.starts_with("/signup") || next.starts_with("/logout");
  return is_same_site_path(next) && !is_auth_page ? next : "";
}

}  // namespace paperboy::web
