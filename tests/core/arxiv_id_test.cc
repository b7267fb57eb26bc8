#include "core/arxiv_id.h"

#include <gtest/gtest.h>

namespace paperboy::core {
namespace {

struct ValidCase {
  const char* input;
  const char* id;
  int version;
  bool old_style;
};

class ArxivIdValid : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ArxivIdValid, ParsesAndNormalises) {
  const auto& c = GetParam();
  auto parsed = parse_arxiv_id(c.input);
  ASSERT_TRUE(parsed.has_value()) << c.input << ": " << parsed.error().to_string();
  EXPECT_EQ(parsed->id, c.id) << c.input;
  EXPECT_EQ(parsed->version, c.version) << c.input;
  EXPECT_EQ(parsed->is_old_style, c.old_style) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ArxivIdValid,
    ::testing::Values(
        ValidCase{"2403.01234", "2403.01234", 0, false}, ValidCase{"2403.01234v2", "2403.01234", 2, false},
        ValidCase{"arXiv:2403.01234v2", "2403.01234", 2, false}, ValidCase{"ARXIV:2403.01234", "2403.01234", 0, false},
        ValidCase{"https://arxiv.org/abs/2403.01234v2", "2403.01234", 2, false},
        ValidCase{"http://arxiv.org/pdf/2403.01234v3.pdf", "2403.01234", 3, false},
        ValidCase{"https://export.arxiv.org/abs/2403.01234", "2403.01234", 0, false},
        ValidCase{"arxiv.org/abs/2403.01234/", "2403.01234", 0, false},
        ValidCase{"  2403.01234  ", "2403.01234", 0, false},
        ValidCase{"oai:arXiv.org:2403.01234", "2403.01234", 0, false}, ValidCase{"0704.0001", "0704.0001", 0, false},
        ValidCase{"1412.9999v10", "1412.9999", 10, false}, ValidCase{"hep-th/9901001", "hep-th/9901001", 0, true},
        ValidCase{"hep-th/9901001v2", "hep-th/9901001", 2, true}, ValidCase{"math.GT/0309136", "math/0309136", 0, true},
        ValidCase{"arXiv:cond-mat/0207270v1", "cond-mat/0207270", 1, true},
        ValidCase{"https://arxiv.org/abs/solv-int/9901001", "solv-int/9901001", 0, true},
        ValidCase{"cs/0112017", "cs/0112017", 0, true}));

class ArxivIdInvalid : public ::testing::TestWithParam<const char*> {};

TEST_P(ArxivIdInvalid, IsRejectedWithAClearMessage) {
  auto parsed = parse_arxiv_id(GetParam());
  ASSERT_FALSE(parsed.has_value()) << GetParam() << " parsed as " << parsed->id;
  EXPECT_EQ(parsed.error().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(parsed.error().message().empty());
}

INSTANTIATE_TEST_SUITE_P(Table, ArxivIdInvalid,
                         ::testing::Values("", "   ", "2403.1234",     // 4 digits after 2015
                                           "1412.12345",               // 5 digits before 2015
                                           "2413.01234",               // month 13
                                           "2400.01234", "0703.0001",  // before the new scheme
                                           "2403.01234v", "2403.01234v0", "2403.01234vx", "2403-01234",
                                           "HEP-TH/9901001", "hep-th/990100", "hep-th/99010011", "hep_th/9901001",
                                           "/9901001", "hello", "https://example.com/abs/2403.01234x",
                                           "2403.01234 2403.01235"));

TEST(ArxivId, CanonicalCheckRejectsVersionedAndDecoratedForms) {
  EXPECT_TRUE(is_canonical_arxiv_id("2403.01234"));
  EXPECT_TRUE(is_canonical_arxiv_id("hep-th/9901001"));
  EXPECT_FALSE(is_canonical_arxiv_id("2403.01234v1"));
  EXPECT_FALSE(is_canonical_arxiv_id("arXiv:2403.01234"));
  EXPECT_FALSE(is_canonical_arxiv_id("math.GT/0309136"));
}

TEST(ArxivId, WithVersionAndYymm) {
  auto a = parse_arxiv_id("2403.01234v2");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->with_version(), "2403.01234v2");
  EXPECT_EQ(a->yymm(), "2403");
  auto b = parse_arxiv_id("hep-th/9901001");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->with_version(), "hep-th/9901001");
  EXPECT_EQ(b->yymm(), "9901");
}

}  // namespace
}  // namespace paperboy::core
