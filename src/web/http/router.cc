#include "web/http/router.h"

namespace paperboy::web {

void Router::add(std::string method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{std::move(method), std::regex(pattern), std::move(handler)});
}

const Router::Route* Router::match(Request& req, std::string* allowed) const {
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  std::smatch m;
  std::vector<std::string> methods;  // of the routes whose path fits, for a 405's Allow
  for (const Route& r : routes_) {
    if (!std::regex_match(req.path, m, r.pattern)) continue;
    if (r.method != method) {
      if (std::ranges::find(methods, r.method) == methods.end()) methods.push_back(r.method);
      continue;
    }
    req.matches.clear();
    for (const auto& sub : m) req.matches.push_back(sub.str());
    return &r;
  }
  if (allowed != nullptr) {
    allowed->clear();
    if (std::ranges::find(methods, "GET") != methods.end()) methods.push_back("HEAD");
    for (const auto& name : methods) *allowed += (allowed->empty() ? "" : ", ") + name;
  }
  return nullptr;
}

}  // namespace paperboy::web
