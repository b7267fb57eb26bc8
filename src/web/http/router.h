// Router: the routes a server answers, in registration order; the first whose method and regex
// (matched against the whole decoded path, ECMAScript syntax) fit a request wins, as in
// cpp-httplib, the earlier transport, whose route patterns these are. HEAD is answered by GET routes.
// Routes are added before serving; match() is then const and thread-safe.
#pragma once

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "web/routes/common.h"

namespace paperboy::web {

class Router {
 public:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };

  void add(std::string method, const std::string& pattern, Handler handler);
  // The route for `req` (filling req.matches), or nullptr. Then `allowed`, when given, lists the
  // methods the routes of this path do answer ("GET, HEAD, POST"): empty for a 404, else a 405.
  [[nodiscard]] const Route* match(Request& req, std::string* allowed = nullptr) const;
  [[nodiscard]] size_t size() const { return routes_.size(); }

 private:
  std::vector<Route> routes_;
};

}  // namespace paperboy::web
