#include "web/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "core/time.h"
#include "web/html.h"

namespace paperboy::web {

struct WebServer::Impl {
  store::Store& store;
  ServerOptions options;
  httplib::Server http;
  bool bound = false;
  std::int64_t started_at = core::unix_now();

  Impl(store::Store& s, ServerOptions o) : store(s), options(std::move(o)) {}

  void routes() {
    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      nlohmann::json body = {{"status", "ok"}, {"uptime_s", core::unix_now() - started_at}};
      auto stats = store.max_change_seq();
      if (stats) {
        body["store"] = {{"ok", true}, {"max_change_seq", *stats}};
      } else {
        body["status"] = "degraded";
        body["store"] = {{"ok", false}, {"error", stats.error().to_string()}};
      }
      if (options.health_details) body.update(options.health_details());
      res.status = body["status"] == "ok" ? 200 : 503;
      res.set_content(body.dump(), "application/json");
    });
    http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      store::ListingQuery q;
      q.limit = 100;
      auto papers = store.list_papers(q);
      if (!papers) {
        res.status = 500;
        res.set_content("store error", "text/plain");
        spdlog::error("listing failed: {}", papers.error().to_string());
        return;
      }
      res.set_content(render_newest_page(*papers), "text/html; charset=utf-8");
    });
  }
};

WebServer::WebServer(store::Store& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {
  impl_->routes();
  int threads = std::max(1, impl_->options.threads);
  impl_->http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  impl_->http.set_payload_max_length(1 << 20);
  // httplib's default adds SO_REUSEPORT, which would let a second server silently share the port.
  impl_->http.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

WebServer::~WebServer() = default;

Result<int> WebServer::bind() {
  if (impl_->options.port == 0) {
    int port = impl_->http.bind_to_any_port(impl_->options.host);
    if (port <= 0) return fail(Status::io_error("cannot bind " + impl_->options.host));
    impl_->options.port = port;
  } else if (!impl_->http.bind_to_port(impl_->options.host, impl_->options.port)) {
    return fail(Status::io_error("cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
                                 " (in use?)"));
  }
  impl_->bound = true;
  return impl_->options.port;
}

Status WebServer::run() {
  if (!impl_->bound) {
    auto port = bind();
    if (!port) return port.error();
  }
  if (!impl_->http.listen_after_bind()) return Status::io_error("server stopped with an error");
  return Status::ok();
}

void WebServer::stop() { impl_->http.stop(); }

}  // namespace paperboy::web
