// libFuzzer target for the request layer: raw bytes go through what a connection's bytes go
// through before any handler runs: the transport's HTTP parser and its limits, the request
// decoder (percent-decoding, UTF-8 and NUL checks, form bodies, trusted proxies) and route
// matching, on a real WebServer over an empty SQLite store (never started: no sockets). A refusal
// must be a 4xx (or 505); nothing may crash. Built with -DPAPERBOY_FUZZ=ON (fuzz/CMakeLists.txt);
// inputs worth keeping live in tests/fixtures/web/request_corpus/, which web_hostile_client_test
// replays on every CI run.
//   build/fuzz/fuzz/request_fuzz -max_total_time=300 tests/fixtures/web/request_corpus
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string_view>

#include <unistd.h>

#include "store/database.h"
#include "web/server.h"

namespace {

// The database and the server, built once and kept for the life of the process (reachable from a
// static, so the leak checker does not count them).
struct Fixture {
  std::unique_ptr<paperboy::store::Database> db;
  std::unique_ptr<paperboy::web::WebServer> server;
};

paperboy::web::WebServer& server() {
  static Fixture* fixture = [] {
    auto dir = std::filesystem::temp_directory_path() / ("paperboy-request-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto db = paperboy::store::open_database({.url = (dir / "fuzz.db").string(), .cache_mib = 1});
    if (!db) std::abort();
    paperboy::web::ServerOptions o;
    o.access_log = false;
    o.threads = 1;
    o.trusted_proxies = "127.0.0.1";
    auto created = paperboy::web::WebServer::create((*db)->papers(), o);
    if (!created) std::abort();
    return new Fixture{std::move(*db), std::move(*created)};
  }();
  return *fixture->server;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  int status = server().preflight(bytes);
  if (status != 0 && !(status >= 400 && status <= 505)) std::abort();
  return 0;
}
