// libFuzzer target for comment markdown: render_markdown() never crashes and its output always
// satisfies the sanitiser's invariant (check_safe_html: only the renderer's own tags, no event
// handlers, no raw <script, every link safe). Inputs worth keeping live in
// tests/fixtures/fuzz/markdown/ (replayed by tests/fuzz/replay_test.cc).
//   build/fuzz/fuzz/markdown_fuzz -max_total_time=600 CORPUS tests/fixtures/fuzz/markdown
#include <cstdio>
#include <cstdlib>

#include "fuzz_checks.h"
#include "web/markdown.h"

namespace paperboy::fuzz {

std::string check_markdown(std::string_view input) {
  std::string html = web::render_markdown(input);
  if (std::string e = check_safe_html(html); !e.empty()) return e + "\n--- output:\n" + html;
  return {};
}

}  // namespace paperboy::fuzz

#ifndef PAPERBOY_FUZZ_REPLAY
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error = paperboy::fuzz::check_markdown({reinterpret_cast<const char*>(data), size});
  if (!error.empty()) {
    std::fprintf(stderr, "markdown: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
#endif
