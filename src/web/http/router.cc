#include "web/http/router.h"

namespace paperboy::web {

void Router::add(std::string method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{std::move(method), std::regex(pattern), std::move(handler)});
}

const Router::Route* Router::match(Request& req, bool* path_exists) const {
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  std::smatch m;
  if (path_exists != nullptr) *path_exists = false;
  for (const Route& r : routes_) {
    if (!std::regex_match(req.path, m, r.pattern)) continue;
    if (path_exists != nullptr) *path_exists = true;
    if (r.method != method) continue;
    req.matches.clear();
    for (const auto& sub : m) req.matches.push_back(sub.str());
    return &r;
  }
  return nullptr;
}

}  // namespace paperboy::web
