// Replays the kept fuzz inputs: seeds taken from the project's fixtures and every case a fuzz
// target in fuzz/ found (tests/fixtures/fuzz/<target>/), through the same check_* functions the
// targets apply, so a fixed parser bug stays fixed in every test configuration (this binary also
// runs under ASan+UBSan) without libFuzzer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "fuzz_checks.h"

namespace paperboy::fuzz {
namespace {

struct Target {
  const char* name;
  std::function<std::string(std::string_view)> check;
  size_t min_inputs;  // the seeds committed with the target
};

void PrintTo(const Target& t, std::ostream* os) {
  *os << t.name;
}

class FuzzReplay : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzReplay, EveryKeptInputPassesTheTargetsCheck) {
  const std::filesystem::path dir = std::filesystem::path(PAPERBOY_FUZZ_FIXTURES) / GetParam().name;
  size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    ++inputs;
    EXPECT_EQ(GetParam().check(buf.str()), "") << entry.path();
  }
  EXPECT_GE(inputs, GetParam().min_inputs) << dir;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay,
                         ::testing::Values(Target{"snapshot_record", check_snapshot_record, 20},
                                           Target{"oai_pmh_page", check_oai_pmh_page, 4},
                                           Target{"arxiv_atom", check_arxiv_atom, 2},
                                           Target{"markdown", check_markdown, 7},
                                           Target{"arxiv_id", check_arxiv_id, 14}, Target{"config", check_config, 4}),
                         [](const auto& info) { return std::string(info.param.name); });

// The checks themselves must be able to fail, or the replay proves nothing.
TEST(FuzzChecks, SafeHtmlCheckRejectsWhatTheSanitiserMustNeverEmit) {
  EXPECT_EQ(
      check_safe_html("<p>fine <a rel=\"nofollow ugc noopener\" href=\"https://x.example/?a=1&amp;b\">x</a></p>\n"),
      "");
  EXPECT_NE(check_safe_html("<p><script>alert(1)</script></p>"), "");
  EXPECT_NE(check_safe_html("<p><SCRIPT src=x></p>"), "");
  EXPECT_NE(check_safe_html("<p><b onclick=\"x\">b</b></p>"), "");
  EXPECT_NE(check_safe_html("<a onmouseover=\"x\" href=\"/\">x</a>"), "");
  EXPECT_NE(check_safe_html("<a href=\"javascript:alert(1)\">x</a>"), "");
  EXPECT_NE(check_safe_html("<a href=\"//evil.example\">x</a>"), "");
  EXPECT_NE(check_safe_html("<img src=\"https://x.example/a.png\" />"), "");
  EXPECT_NE(check_safe_html("<iframe>"), "");
}

TEST(FuzzChecks, ArxivIdCheckHoldsForValidAndInvalidIds) {
  EXPECT_EQ(check_arxiv_id("arXiv:2403.01234v2"), "");
  EXPECT_EQ(check_arxiv_id("not an id"), "");
  // The case the fuzzer found: a 190-letter archive name was accepted as canonical, but its abs URL
  // was longer than parse_arxiv_id accepts.
  EXPECT_EQ(check_arxiv_id(std::string(190, 'f') + "/9901001"), "");
}

}  // namespace
}  // namespace paperboy::fuzz
