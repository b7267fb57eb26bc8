// libFuzzer target for the OAI-PMH ListRecords page parser (metadata formats arXiv, arXivRaw,
// oai_dc): never crashes, every accepted paper passes check_paper(), and the page parses the same
// whether it arrives whole or cut in two chunks (as it does from the network). Inputs worth keeping
// live in tests/fixtures/fuzz/oai_pmh_page/ (replayed by tests/fuzz/replay_test.cc).
//   build/fuzz/fuzz/oai_pmh_page_fuzz -max_total_time=600 CORPUS tests/fixtures/fuzz/oai_pmh_page
#include <cstdio>
#include <cstdlib>

#include "fuzz_checks.h"
#include "ingest/oai_pmh_page.h"

namespace paperboy::fuzz {
namespace {

Result<ingest::ListRecordsPage> parse_in_chunks(std::string_view input, size_t cut) {
  ingest::ListRecordsParser parser;
  for (std::string_view chunk : {input.substr(0, cut), input.substr(cut)}) {
    if (Status s = parser.feed(chunk); !s.is_ok()) return fail(s);
  }
  return parser.finish();
}

}  // namespace

std::string check_oai_pmh_page(std::string_view input) {
  auto whole = parse_in_chunks(input, input.size());
  // A cut point that depends on the input, so the fuzzer explores chunk boundaries too.
  size_t cut = input.empty() ? 0 : (static_cast<unsigned char>(input.back()) * 131U) % (input.size() + 1);
  auto split = parse_in_chunks(input, cut);
  if (whole.has_value() != split.has_value())
    return "whole and chunked parses disagree (cut " + std::to_string(cut) + ")";
  if (!whole) {
    if (whole.error().message().empty()) return "rejection without a message";
    return {};
  }
  if (whole->papers != split->papers || whole->records != split->records || whole->deleted != split->deleted ||
      whole->rejected.size() != split->rejected.size() || whole->resumption_token != split->resumption_token ||
      whole->error_code != split->error_code || whole->max_datestamp != split->max_datestamp) {
    return "whole and chunked parses give different pages (cut " + std::to_string(cut) + ")";
  }
  if (whole->papers.size() + static_cast<size_t>(whole->deleted) + whole->rejected.size() >
      static_cast<size_t>(whole->records)) {
    return "more papers than <record> elements";
  }
  for (const auto& r : whole->rejected) {
    if (r.message.empty()) return "a rejected record without a message";
  }
  for (const auto& p : whole->papers) {
    if (std::string e = check_paper(p); !e.empty()) return e;
  }
  return {};
}

}  // namespace paperboy::fuzz

#ifndef PAPERBOY_FUZZ_REPLAY
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error = paperboy::fuzz::check_oai_pmh_page({reinterpret_cast<const char*>(data), size});
  if (!error.empty()) {
    std::fprintf(stderr, "oai_pmh_page: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
#endif
