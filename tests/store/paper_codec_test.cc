#include "store/paper_codec.h"

#include <gtest/gtest.h>

namespace paperboy::store {
namespace {

TEST(PaperCodec, AuthorsRoundTripThroughJsonWithAwkwardCharacters) {
  std::vector<core::Author> authors = {{"O'Neil \"Q\"", "Jörg\\x", ""}, {"Tab\there", "Line\nbreak\x01", "Jr"}, {"", "", ""}};
  std::vector<core::Author> back;
  ASSERT_TRUE(decode_authors(encode_authors(authors), back).is_ok());
  EXPECT_EQ(back, authors);
}

TEST(PaperCodec, CategoriesAndVersionsRoundTrip) {
  std::vector<std::string> cats = {"cs.LG", "stat.ML"};
  std::vector<std::string> cats_back;
  ASSERT_TRUE(decode_categories(encode_categories(cats), cats_back).is_ok());
  EXPECT_EQ(cats_back, cats);
  std::vector<core::Version> versions = {{1, -5}, {2, 1709251200}};
  std::vector<core::Version> versions_back;
  ASSERT_TRUE(decode_versions(encode_versions(versions), versions_back).is_ok());
  EXPECT_EQ(versions_back, versions);
  EXPECT_EQ(encode_versions({}), "[]");
}

TEST(PaperCodec, JsonStringIsWhatTheAuthorsColumnHolds) {
  EXPECT_EQ(encode_json_string("O\"Neil\\"), "\"O\\\"Neil\\\\\"");
  EXPECT_NE(encode_authors({{"O\"Neil", "", ""}}).find(encode_json_string("O\"Neil")), std::string::npos);
}

TEST(PaperCodec, CorruptColumnsAreReportedNotThrown) {
  std::vector<core::Author> authors;
  Status s = decode_authors("[[\"a\"", authors);
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("authors"), std::string::npos);
}

}  // namespace
}  // namespace paperboy::store
