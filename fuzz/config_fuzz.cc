// libFuzzer target for the config loader: any TOML text applied over the defaults either fails
// with a message or yields a config that describe() can print; nothing throws out of the loader.
// Inputs worth keeping live in tests/fixtures/fuzz/config/ (replayed by tests/fuzz/replay_test.cc).
//   build/fuzz/fuzz/config_fuzz -max_total_time=600 CORPUS tests/fixtures/fuzz/config
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "config/config.h"
#include "fuzz_checks.h"

namespace paperboy::fuzz {

std::string check_config(std::string_view input) {
  config::Config c;
  try {
    Status s = config::apply_config_text(c, input, "fuzz.toml");
    if (!s.is_ok()) {
      if (s.message().empty()) return "rejection without a message";
      return {};
    }
    (void)config::describe(c);
    (void)c.database_url();
  } catch (const std::exception& e) {
    return std::string("exception escaped the config loader: ") + e.what();
  }
  return {};
}

}  // namespace paperboy::fuzz

#ifndef PAPERBOY_FUZZ_REPLAY
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error = paperboy::fuzz::check_config({reinterpret_cast<const char*>(data), size});
  if (!error.empty()) {
    std::fprintf(stderr, "config: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
#endif
