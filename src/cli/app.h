// App: one `paperboy serve` process, assembled from its configuration (the `App` of STYLE.md):
// the database, the search service and the thread that keeps it current, the community, library,
// recommendation and mail parts, the scheduled jobs (harvest, digests, thumbnails) with their leases, and the
// web server. App::create builds every part and returns an error instead of exiting; run() binds,
// starts the schedulers, serves until SIGINT or SIGTERM (the transport watches them on its event
// loop through Asio's signal set, a self-pipe: no global server pointer, no work in a handler),
// then stops the schedulers. Requests in flight are answered before run() returns. Not copyable;
// call bind() then run() once, from one thread.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/status.h"

namespace paperboy::cli {

class App {
 public:
  [[nodiscard]] static Result<std::unique_ptr<App>> create(const config::Config& config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Opens the listening socket(s); returns the port (the one picked when server.port is 0).
  [[nodiscard]] Result<int> bind();
  // The metrics listener's port (0: metrics are off or share the main port).
  [[nodiscard]] int metrics_port() const;
  // Starts the scheduled jobs and serves until a signal; stops the jobs before returning.
  [[nodiscard]] Status run();

 private:
  struct Parts;
  explicit App(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace paperboy::cli
