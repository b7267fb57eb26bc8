// LibraryStore behaviour (collections, follows, comments, account deletion), run against every
// backend: SQLite (a real file) and PostgreSQL (a real server from support/postgres_server.h, a
// fresh database per test).
#include "store/library_store.h"
#include "store/database.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

constexpr std::int64_t kNow = 1767225600;  // 2026-01-01

class LibraryStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      url_ = testing::fresh_postgres_database();
      ASSERT_FALSE(url_.empty());
    } else {
      url_ = "sqlite:" + dir_.file("db/paperboy.db");
    }
    auto opened = open_database({.url = url_});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    lib_ = &database_->library();
  }
  Collection create(std::int64_t account, const std::string& name, bool is_public = false) {
    auto c = lib_->create_collection(account, name, is_public, kNow);
    EXPECT_TRUE(c) << c.error().to_string();
    return c ? *c : Collection{};
  }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> database_;
  LibraryStore* lib_ = nullptr;
};

TEST_P(LibraryStoreTest, DefaultCollectionIsCreatedOnceAndListedFirst) {
  auto a = lib_->default_collection(1, kNow);
  ASSERT_TRUE(a) << a.error().to_string();
  auto b = lib_->default_collection(1, kNow + 5);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->id, b->id);
  EXPECT_TRUE(a->is_default);
  EXPECT_FALSE(a->is_public);
  EXPECT_EQ(a->name, "Saved");
  create(1, "Alpha");
  auto list = lib_->collections_of(1);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE(list->at(0).is_default);
  EXPECT_EQ(list->at(1).name, "Alpha");
  EXPECT_TRUE(lib_->collections_of(2)->empty());
}

TEST_P(LibraryStoreTest, ConcurrentFirstSavesMakeOneDefaultCollection) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::vector<std::int64_t> ids(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto c = lib_->default_collection(7, kNow);
      if (!c) {
        ++failures;
      } else {
        ids[static_cast<size_t>(i)] = c->id;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(std::all_of(ids.begin(), ids.end(), [&](std::int64_t id) { return id == ids[0]; }));
  EXPECT_EQ(lib_->collections_of(7)->size(), 1u);
}

TEST_P(LibraryStoreTest, CollectionNamesAreUniquePerAccountAndSavedIsReserved) {
  create(1, "Reading");
  auto again = lib_->create_collection(1, "Reading", true, kNow);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(lib_->create_collection(2, "Reading", false, kNow));  // another account may
  auto saved = lib_->create_collection(1, "Saved", false, kNow);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code(), StatusCode::kAlreadyExists);
}

TEST_P(LibraryStoreTest, PapersAddOnceRemoveAndListNewestFirst) {
  Collection c = create(1, "Reading");
  EXPECT_TRUE(*lib_->add_to_collection(c.id, "2401.00001", kNow));
  EXPECT_FALSE(*lib_->add_to_collection(c.id, "2401.00001", kNow + 1));  // already there
  EXPECT_TRUE(*lib_->add_to_collection(c.id, "2401.00002", kNow + 10));
  auto entries = lib_->collection_entries(c.id, 10, 0);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(entries->at(0).paper_id, "2401.00002");
  EXPECT_EQ(entries->at(1).added_at, kNow);
  EXPECT_EQ(lib_->get_collection(c.id)->value().paper_count, 2);
  std::vector<std::string> ask = {"2401.00001", "2401.00003"};
  auto in = lib_->papers_in_collection(c.id, ask);
  ASSERT_TRUE(in);
  EXPECT_EQ(*in, (std::unordered_set<std::string>{"2401.00001"}));
  EXPECT_EQ(*lib_->collections_with_paper(1, "2401.00001"), std::vector<std::int64_t>{c.id});
  EXPECT_TRUE(lib_->collections_with_paper(2, "2401.00001")->empty());
  EXPECT_TRUE(*lib_->remove_from_collection(c.id, "2401.00001"));
  EXPECT_FALSE(*lib_->remove_from_collection(c.id, "2401.00001"));
  EXPECT_EQ(lib_->collection_entries(c.id, 10, 0)->size(), 1u);
}

TEST_P(LibraryStoreTest, VisibilityChangesAndDeletionRemovesEntries) {
  Collection c = create(1, "Public one", true);
  EXPECT_TRUE(c.is_public);
  ASSERT_TRUE(lib_->set_collection_public(c.id, false).is_ok());
  EXPECT_FALSE(lib_->get_collection(c.id)->value().is_public);
  ASSERT_TRUE(*lib_->add_to_collection(c.id, "2401.00001", kNow));
  ASSERT_TRUE(lib_->delete_collection(c.id).is_ok());
  EXPECT_FALSE(lib_->get_collection(c.id)->has_value());
  EXPECT_TRUE(lib_->collection_entries(c.id, 10, 0)->empty());
  EXPECT_EQ(lib_->delete_collection(c.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(lib_->set_collection_public(c.id, true).code(), StatusCode::kNotFound);
}

TEST_P(LibraryStoreTest, FollowIsIdempotentAndUnfollowRemoves) {
  auto a = lib_->follow(1, FollowKind::kCategory, "cs.LG", kNow);
  ASSERT_TRUE(a) << a.error().to_string();
  auto b = lib_->follow(1, FollowKind::kCategory, "cs.LG", kNow + 9);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(b->created_at, kNow);
  ASSERT_TRUE(lib_->follow(1, FollowKind::kAuthor, "Lovelace|Ada", kNow));
  ASSERT_TRUE(lib_->follow(1, FollowKind::kSearch, "\"diffusion model\" cat:cs.CV", kNow));
  auto follows = lib_->follows_of(1);
  ASSERT_TRUE(follows);
  ASSERT_EQ(follows->size(), 3u);
  EXPECT_EQ(follows->at(1).kind, FollowKind::kAuthor);
  EXPECT_EQ(follows->at(2).value, "\"diffusion model\" cat:cs.CV");
  EXPECT_TRUE(*lib_->unfollow(1, FollowKind::kCategory, "cs.LG"));
  EXPECT_FALSE(*lib_->unfollow(1, FollowKind::kCategory, "cs.LG"));
  EXPECT_EQ(lib_->follows_of(1)->size(), 2u);
  EXPECT_TRUE(lib_->follows_of(2)->empty());
}

TEST_P(LibraryStoreTest, CommentsAddEditDeleteInOrder) {
  auto first = lib_->add_comment("2401.00001", 1, "First *comment*", kNow, 0);
  ASSERT_TRUE(first) << first.error().to_string();
  auto second = lib_->add_comment("2401.00001", 2, "Second <script>", kNow + 1, 0);
  ASSERT_TRUE(second);
  ASSERT_TRUE(lib_->add_comment("2401.00002", 1, "elsewhere", kNow, 0));
  EXPECT_GT(second->id, first->id);
  ASSERT_TRUE(lib_->edit_comment(first->id, "Edited", kNow + 60).is_ok());
  auto got = lib_->get_comment(first->id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->body, "Edited");
  EXPECT_EQ((*got)->edited_at, kNow + 60);
  EXPECT_EQ((*got)->account_id, 1);
  auto list = lib_->comments_on("2401.00001", 50);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->at(0).id, first->id);
  EXPECT_EQ(list->at(1).body, "Second <script>");  // stored as written; the web layer renders safely
  std::vector<std::string> ids = {"2401.00001", "2401.00002", "2401.00009"};
  auto counts = lib_->comment_counts(ids);
  ASSERT_TRUE(counts) << counts.error().to_string();
  EXPECT_EQ(*counts, (std::unordered_map<std::string, std::int64_t>{{"2401.00001", 2}, {"2401.00002", 1}}));
  ASSERT_TRUE(lib_->delete_comment(second->id).is_ok());
  EXPECT_EQ(lib_->delete_comment(second->id).code(), StatusCode::kNotFound);
  EXPECT_EQ(lib_->edit_comment(second->id, "x", kNow).code(), StatusCode::kNotFound);
  EXPECT_EQ(lib_->comments_on("2401.00001", 50)->size(), 1u);
}

TEST_P(LibraryStoreTest, RepliesKeepTheirParentAndOutliveItsDeletion) {
  auto top = lib_->add_comment("2401.00001", 1, "Top", kNow, 0);
  ASSERT_TRUE(top) << top.error().to_string();
  EXPECT_EQ(top->parent_id, 0);
  auto reply = lib_->add_comment("2401.00001", 2, "Reply", kNow + 1, top->id);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->parent_id, top->id);
  auto got = lib_->get_comment(reply->id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->parent_id, top->id);
  ASSERT_TRUE(lib_->delete_comment(top->id).is_ok());
  auto left = lib_->comments_on("2401.00001", 50);
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->at(0).parent_id, top->id);  // the page shows a placeholder for the parent
}

TEST_P(LibraryStoreTest, CommentsByAccountNewestFirstAcrossPapers) {
  ASSERT_TRUE(lib_->add_comment("2401.00001", 1, "one", kNow, 0));
  ASSERT_TRUE(lib_->add_comment("2401.00002", 2, "not mine", kNow + 1, 0));
  ASSERT_TRUE(lib_->add_comment("2401.00002", 1, "two", kNow + 2, 0));
  ASSERT_TRUE(lib_->add_comment("2401.00003", 1, "three", kNow + 3, 0));
  auto mine = lib_->comments_by(1, 2);
  ASSERT_TRUE(mine) << mine.error().to_string();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine->at(0).body, "three");
  EXPECT_EQ(mine->at(1).body, "two");
  EXPECT_EQ(mine->at(1).paper_id, "2401.00002");
  EXPECT_TRUE(lib_->comments_by(3, 10)->empty());
}

TEST_P(LibraryStoreTest, DeletingAccountDataRemovesOnlyThatAccountsRows) {
  Collection mine = create(1, "Mine", true);
  ASSERT_TRUE(*lib_->add_to_collection(mine.id, "2401.00001", kNow));
  ASSERT_TRUE(lib_->default_collection(1, kNow));
  ASSERT_TRUE(lib_->follow(1, FollowKind::kCategory, "cs.LG", kNow));
  ASSERT_TRUE(lib_->add_comment("2401.00001", 1, "mine", kNow, 0));
  Collection theirs = create(2, "Theirs");
  ASSERT_TRUE(lib_->follow(2, FollowKind::kCategory, "cs.LG", kNow));
  ASSERT_TRUE(lib_->add_comment("2401.00001", 2, "theirs", kNow, 0));
  std::int64_t before = *lib_->generation();

  ASSERT_TRUE(lib_->delete_account_data(1).is_ok());
  EXPECT_GT(*lib_->generation(), before);
  EXPECT_TRUE(lib_->collections_of(1)->empty());
  EXPECT_FALSE(lib_->get_collection(mine.id)->has_value());
  EXPECT_TRUE(lib_->collection_entries(mine.id, 10, 0)->empty());
  EXPECT_TRUE(lib_->follows_of(1)->empty());
  auto left = lib_->comments_on("2401.00001", 50);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->at(0).body, "theirs");
  EXPECT_TRUE(lib_->get_collection(theirs.id)->has_value());
  EXPECT_EQ(lib_->follows_of(2)->size(), 1u);
  // A new account that happened to get the same id starts empty.
  EXPECT_EQ(lib_->default_collection(1, kNow)->paper_count, 0);
}

TEST_P(LibraryStoreTest, ReopeningKeepsDataAndMigratesOnce) {
  Collection c = create(3, "Kept");
  lib_ = nullptr;
  database_.reset();
  auto reopened = open_database({.url = url_});
  ASSERT_TRUE(reopened) << reopened.error().to_string();
  auto got = (*reopened)->library().get_collection(c.id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->name, "Kept");
}

INSTANTIATE_TEST_SUITE_P(Backends, LibraryStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace paperboy::store
