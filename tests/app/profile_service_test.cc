// ProfileService and AuthorService against a real SQLite database: a profile shows public
// collections, comments and submissions but never a private collection or the e-mail; an author
// page's co-authors, categories and years are counted per paper.
#include "app/profile_service.h"
#include "app/author_service.h"
#include "app/library_service.h"
#include "community/accounts.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "support/test_database.h"

namespace paperboy::app {
namespace {

constexpr std::int64_t kNow = 1767225600;  // 2026-01-01

core::Paper authored(const std::string& id, std::int64_t created, std::vector<core::Author> authors,
                     std::vector<std::string> cats) {
  core::Paper p = testing::stored_paper(id, "Paper " + id, created);
  p.authors = std::move(authors);
  p.categories = std::move(cats);
  return p;
}

class ProfileServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    constexpr std::int64_t kYear = 365 * 86400;
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(
        dir_.path(),
        {authored("2401.00010", kNow, {{"Lovelace", "Ada", ""}, {"Babbage", "Charles", ""}}, {"cs.LG", "stat.ML"}),
         authored("2401.00020", kNow - kYear,
                  {{"Lovelace", "Ada", ""}, {"Babbage", "Charles", ""}, {"Somerville", "Mary", ""}}, {"cs.LG"}),
         authored("2401.00030", kNow - kYear, {{"Lovelace", "Ada", ""}, {"Somerville", "Mary", ""}}, {"math.NA"}),
         authored("2401.00040", kNow - 2 * kYear, {{"Lovelace", "Ada", ""}, {"Babbage", "Charles", ""}}, {"cs.LG"}),
         authored("2401.00050", kNow, {{"Turing", "Alan", ""}}, {"cs.LO"})},
        db_));
  }
  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(ProfileServiceTest, AuthorFactsCountCoAuthorsCategoriesAndYearsPerPaper) {
  AuthorService authors(db_->papers());
  auto facts = authors.facts("Lovelace", "Ada");
  ASSERT_TRUE(facts) << facts.error().to_string();
  EXPECT_EQ(facts->papers_read, 4);
  EXPECT_FALSE(facts->is_truncated);
  ASSERT_EQ(facts->co_authors.size(), 2u);
  EXPECT_EQ(facts->co_authors[0].keyname, "Babbage");
  EXPECT_EQ(facts->co_authors[0].papers, 3);
  EXPECT_EQ(facts->co_authors[1].keyname, "Somerville");
  EXPECT_EQ(facts->co_authors[1].papers, 2);
  ASSERT_EQ(facts->categories.size(), 3u);
  EXPECT_EQ(facts->categories[0].category, "cs.LG");
  EXPECT_EQ(facts->categories[0].papers, 3);
  ASSERT_EQ(facts->years.size(), 3u);
  EXPECT_EQ(facts->years[0].year, 2026);
  EXPECT_EQ(facts->years[0].papers, 1);
  EXPECT_EQ(facts->years[1].year, 2025);
  EXPECT_EQ(facts->years[1].papers, 2);
  // Hidden papers are not counted.
  auto without = authors.facts("Lovelace", "Ada", {"2401.00020", "2401.00030"});
  ASSERT_TRUE(without);
  EXPECT_EQ(without->papers_read, 2);
  ASSERT_EQ(without->co_authors.size(), 1u);
  EXPECT_TRUE(authors.facts("Nobody", "")->co_authors.empty());
}

TEST_F(ProfileServiceTest, ProfileShowsPublicThingsOnlyAndIsFoundByIdOrName) {
  community::AccountService accounts(db_->community(), {.hash_cost = community::HashCost::kMinimum});
  auto ada = accounts.sign_up("ada@example.org", "a long enough password", "Ada");
  ASSERT_TRUE(ada) << ada.error().to_string();
  LibraryService library(db_->papers(), db_->library(), {});
  ASSERT_TRUE(library.save_paper_to_new(*ada, "Reading list", true, "2401.00010", kNow));
  ASSERT_TRUE(library.save_paper_to_new(*ada, "Secret plans", false, "2401.00020", kNow));
  ASSERT_TRUE(library.add_comment(*ada, "2401.00030", "Lovely *proof*", kNow));
  ASSERT_TRUE(db_->curation().record_submission({"2401.00040", ada->id, "2026-01-01", kNow}));
  ASSERT_TRUE(db_->curation().record_submission({"2401.00050", ada->id, "2026-01-01", kNow + 1}));
  ASSERT_TRUE(
      db_->curation().set_flag("2401.00050", "2026-01-01", store::CurationFlag::kHidden, true, 99, kNow).is_ok());

  ProfileService profiles(db_->papers(), db_->community(), db_->library(), &db_->curation());
  auto by_id = profiles.profile(std::to_string(ada->id));
  ASSERT_TRUE(by_id) << by_id.error().to_string();
  EXPECT_EQ(by_id->name, "Ada");
  ASSERT_EQ(by_id->public_collections.size(), 1u);
  EXPECT_EQ(by_id->public_collections[0].name, "Reading list");
  ASSERT_EQ(by_id->comments.size(), 1u);
  EXPECT_EQ(by_id->comments[0].paper_title, "Paper 2401.00030");
  ASSERT_EQ(by_id->submissions.size(), 1u);  // the hidden one is left out
  EXPECT_EQ(by_id->submissions[0].submission.paper_id, "2401.00040");
  auto by_name = profiles.profile("Ada");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->id, ada->id);
  EXPECT_EQ(profiles.profile("Nobody").error().code(), StatusCode::kNotFound);
  EXPECT_EQ(profiles.profile(std::to_string(ada->id + 50)).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(profiles.profile("").error().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace paperboy::app
