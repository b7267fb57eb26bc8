// libFuzzer target for arXiv id parsing, with its round-trip invariants: a parsed id is canonical,
// re-parses to itself from its canonical, versioned, "arXiv:" and abs-URL forms, and
// is_canonical_arxiv_id() agrees with parse_arxiv_id(). Inputs worth keeping live in
// tests/fixtures/fuzz/arxiv_id/ (replayed by tests/fuzz/replay_test.cc).
//   build/fuzz/fuzz/arxiv_id_fuzz -max_total_time=600 CORPUS tests/fixtures/fuzz/arxiv_id
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "core/arxiv_id.h"
#include "fuzz_checks.h"

namespace paperboy::fuzz {

std::string check_arxiv_id(std::string_view input) {
  auto parsed = core::parse_arxiv_id(input);
  bool canonical = core::is_canonical_arxiv_id(input);
  if (!parsed) {
    if (parsed.error().message().empty()) return "rejection without a message";
    if (canonical) return "is_canonical_arxiv_id() accepts what parse_arxiv_id() rejects";
    return {};
  }
  if (canonical && (parsed->id != input || parsed->version != 0)) return "canonical input not parsed to itself";
  if (!core::is_canonical_arxiv_id(parsed->id)) return "parsed id '" + parsed->id + "' is not canonical";
  if (parsed->version < 0) return "negative version";
  std::string yymm = parsed->yymm();
  if (yymm.size() != 4 || !std::all_of(yymm.begin(), yymm.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return "yymm() '" + yymm + "' is not four digits";
  }
  for (const std::string& form : {parsed->with_version(), "arXiv:" + parsed->with_version(),
                                  "https://arxiv.org/abs/" + parsed->with_version(), "oai:arXiv.org:" + parsed->id}) {
    auto again = core::parse_arxiv_id(form);
    if (!again) return "'" + form + "' does not re-parse: " + again.error().message();
    if (again->id != parsed->id || again->is_old_style != parsed->is_old_style)
      return "'" + form + "' re-parses to another id";
    bool versioned = form.find("oai:") != 0;
    if (versioned && again->version != parsed->version) return "'" + form + "' re-parses to another version";
  }
  return {};
}

}  // namespace paperboy::fuzz

#ifndef PAPERBOY_FUZZ_REPLAY
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error = paperboy::fuzz::check_arxiv_id({reinterpret_cast<const char*>(data), size});
  if (!error.empty()) {
    std::fprintf(stderr, "arxiv_id: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
#endif
