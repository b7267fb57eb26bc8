// libFuzzer target for the arXiv API Atom feed parser: never crashes, a failed feed says why,
// every paper passes check_paper(). Inputs worth keeping live in tests/fixtures/fuzz/arxiv_atom/
// (replayed by tests/fuzz/replay_test.cc).
//   build/fuzz/fuzz/arxiv_atom_fuzz -max_total_time=600 CORPUS tests/fixtures/fuzz/arxiv_atom
#include <cstdio>
#include <cstdlib>

#include "fuzz_checks.h"
#include "ingest/arxiv_api.h"

namespace paperboy::fuzz {

std::string check_arxiv_atom(std::string_view input) {
  auto papers = ingest::parse_arxiv_atom_feed(input);
  if (!papers) {
    if (papers.error().message().empty()) return "rejection without a message";
    return {};
  }
  for (const auto& p : *papers) {
    if (std::string e = check_paper(p); !e.empty()) return e;
  }
  return {};
}

}  // namespace paperboy::fuzz

#ifndef PAPERBOY_FUZZ_REPLAY
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error = paperboy::fuzz::check_arxiv_atom({reinterpret_cast<const char*>(data), size});
  if (!error.empty()) {
    std::fprintf(stderr, "arxiv_atom: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
#endif
