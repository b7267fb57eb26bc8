// libFuzzer target for the snapshot record parser (one JSON line of an arXiv metadata snapshot ->
// core::Paper): never crashes, every rejection says why, every accepted paper passes
// check_paper(). Inputs worth keeping live in tests/fixtures/fuzz/snapshot_record/ (replayed by
// tests/fuzz/replay_test.cc).
//   build/fuzz/fuzz/snapshot_record_fuzz -max_total_time=600 CORPUS tests/fixtures/fuzz/snapshot_record
#include <cstdio>
#include <cstdlib>

#include "fuzz_checks.h"
#include "ingest/snapshot_record.h"

namespace paperboy::fuzz {

std::string check_snapshot_record(std::string_view input) {
  static ingest::SnapshotRecordParser parser;
  // Both paths: the line copied into a padded buffer, and (below) a line with padding behind it.
  auto parsed = parser.parse(input);
  std::string padded(input);
  padded.append(64, '\0');
  auto again = parser.parse(std::string_view(padded.data(), input.size()), 64);
  if (parsed.has_value() != again.has_value()) return "padded and unpadded parses disagree";
  if (!parsed) {
    if (parsed.error().message().empty()) return "rejection without a message";
    return {};
  }
  if (!(*parsed == *again)) return "padded and unpadded parses give different papers";
  return check_paper(*parsed);
}

}  // namespace paperboy::fuzz

#ifndef PAPERBOY_FUZZ_REPLAY
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error = paperboy::fuzz::check_snapshot_record({reinterpret_cast<const char*>(data), size});
  if (!error.empty()) {
    std::fprintf(stderr, "snapshot_record: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
#endif
