// copy_tables from a real SQLite file into a real PostgreSQL (support/postgres_server.h): accounts,
// sessions, tokens, votes, mail, curation and library rows arrive with their ids, verified, and the target keeps
// working (new ids come after the copied ones).
#include "store/table_copy.h"
#include "store/database.h"

#include <gtest/gtest.h>

#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/library_store.h"
#include "store/mail_store.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

class TableCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_url_ = "sqlite:" + dir_.file("src/paperboy.db");
    target_url_ = testing::fresh_postgres_database();
    ASSERT_FALSE(target_url_.empty());
    auto community = open_database({.url = source_url_});
    auto mail = open_database({.url = source_url_});
    ASSERT_TRUE(community && mail);
    auto ada = (*community)->community().create_account("ada@example.org", "Ada", "$argon2id$x", Role::kAdmin, 100);
    auto bob = (*community)
                   ->community()
                   .create_account("bob@example.org", "Bob \"b\" O'Neil", "$argon2id$y", Role::kUser, 101);
    ASSERT_TRUE(ada && bob);
    ada_ = *ada;
    ASSERT_TRUE((*community)->community().create_session("session-hash", *ada, 9'999'999'999).is_ok());
    ASSERT_TRUE((*community)->community().create_api_token("token-hash", *bob, "cli", 102).is_ok());
    ASSERT_TRUE((*community)->community().set_vote(*ada, "2401.00001", 50, true, 103));
    ASSERT_TRUE((*community)->community().set_vote(*bob, "2401.00001", 50, true, 104));
    ASSERT_TRUE((*community)->community().set_vote(*bob, "2401.00002", 60, true, 105));
    auto sub =
        (*mail)->mail().subscribe({"ada@example.org", "weekly", "categories", {"cs.LG", "cs.CL"}, *ada}, 200, 600);
    ASSERT_TRUE(sub);
    ASSERT_TRUE(*(*mail)->mail().confirm(sub->subscription.id, 201));
    ASSERT_EQ(*(*mail)->mail().enqueue_issue("weekly", "weekly:2026-W48", "example.org", 300), 1);
    // A submission and a hidden paper; a collection with a paper, a follow and a comment.
    auto curation = open_database({.url = source_url_});
    auto library = open_database({.url = source_url_});
    ASSERT_TRUE(curation && library);
    ASSERT_TRUE((*curation)->curation().record_submission({"2401.00003", *bob, "2026-11-28", 500}));
    ASSERT_TRUE(
        (*curation)->curation().set_flag("2401.00002", "2024-01-02", CurationFlag::kHidden, true, *ada, 501).is_ok());
    auto shelf = (*library)->library().create_collection(*bob, "Reading group", true, 502);
    ASSERT_TRUE(shelf);
    shelf_ = shelf->id;
    ASSERT_TRUE((*library)->library().add_to_collection(shelf->id, "2401.00001", 503));
    ASSERT_TRUE((*library)->library().follow(*ada, FollowKind::kCategory, "cs.LG", 504));
    ASSERT_TRUE((*library)->library().add_comment("2401.00001", *ada, "**Nice** result & <b>bold</b>", 505, 0));
  }

  testing::TempDir dir_;
  std::string source_url_, target_url_;
  std::int64_t ada_ = 0;
  std::int64_t shelf_ = 0;
};

TEST_F(TableCopyTest, CopiesEveryRowVerifiablyAndTheTargetKeepsWorking) {
  auto source = open_database({.url = source_url_});
  auto target = open_database({.url = target_url_});
  ASSERT_TRUE(source && target);
  auto reports = copy_tables((*source)->tables(), (*target)->tables(), false);
  ASSERT_TRUE(reports) << reports.error().to_string();
  ASSERT_EQ(reports->size(), copied_tables().size());
  std::int64_t rows = 0;
  for (const auto& r : *reports) {
    EXPECT_EQ(r.missing_or_different, 0) << r.table;
    EXPECT_EQ(r.source_rows, r.target_rows) << r.table;
    EXPECT_EQ(r.source_checksum, r.target_checksum) << r.table;
    rows += r.target_rows;
  }
  EXPECT_EQ(rows, 2 + 1 + 1 + 3 + 2 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1);

  // What the server reads on PostgreSQL is what it read on SQLite.
  auto community = open_database({.url = target_url_});
  auto mail = open_database({.url = target_url_});
  ASSERT_TRUE(community && mail);
  auto who = (*community)->community().session_account("session-hash", 1000);
  ASSERT_TRUE(who && *who);
  EXPECT_EQ((*who)->id, ada_);
  EXPECT_EQ((*who)->role, Role::kAdmin);
  std::vector<std::string> papers = {"2401.00001", "2401.00002"};
  auto counts = (*community)->community().vote_counts(papers);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("2401.00001"), 2);
  EXPECT_EQ(counts->at("2401.00002"), 1);
  auto sub = (*mail)->mail().subscription_by_email("ada@example.org");
  ASSERT_TRUE(sub && *sub);
  EXPECT_EQ((*sub)->categories, (std::vector<std::string>{"cs.LG", "cs.CL"}));
  EXPECT_EQ((*mail)->mail().outbox((*sub)->id)->size(), 2u);
  auto curation = open_database({.url = target_url_});
  auto library = open_database({.url = target_url_});
  ASSERT_TRUE(curation && library);
  auto flags = (*curation)->curation().flags_of(papers);
  ASSERT_TRUE(flags);
  EXPECT_TRUE(flags->at("2401.00002").is_hidden);
  EXPECT_FALSE(flags->contains("2401.00001"));
  EXPECT_EQ((*(*curation)->curation().get_submission("2401.00003"))->listing_day, "2026-11-28");
  auto shelf = (*library)->library().get_collection(shelf_);
  ASSERT_TRUE(shelf && *shelf);
  EXPECT_EQ((*shelf)->name, "Reading group");
  EXPECT_TRUE((*shelf)->is_public);
  auto comments = (*library)->library().comments_on("2401.00001", 10);
  ASSERT_TRUE(comments && comments->size() == 1);
  EXPECT_EQ((*comments)[0].body, "**Nice** result & <b>bold</b>");
  EXPECT_EQ((*(*library)->library().follows_of(ada_)).size(), 1u);
  // New rows get ids after the copied ones instead of colliding with them.
  auto carol = (*community)->community().create_account("carol@example.org", "Carol", "$argon2id$z", Role::kUser, 400);
  ASSERT_TRUE(carol) << carol.error().to_string();
  EXPECT_GT(*carol, ada_ + 1);
  auto other = (*mail)->mail().subscribe({"carol@example.org", "daily", "trending", {}, 0}, 500, 600);
  ASSERT_TRUE(other) << other.error().to_string();

  // A second copy into the now non-empty target is refused.
  auto again = copy_tables((*source)->tables(), (*target)->tables(), false);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace paperboy::store
