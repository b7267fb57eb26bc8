// LibraryService's rules against a real SQLite database in a temporary directory: quotas refuse
// with quota_exceeded and change nothing, a private collection does not exist for anyone but its
// owner, nobody changes another account's collection or comment, collection names, follow values
// and comment bodies are checked, and comments are rate-limited per account.
#include "app/library_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "support/temp_dir.h"
#include "support/test_database.h"

namespace paperboy::app {
namespace {

constexpr std::int64_t kNow = 1767225600;  // 2026-01-01

Account member(std::int64_t id, store::Role role = store::Role::kUser) {
  return Account{.id = id, .email = "m" + std::to_string(id) + "@example.org", .name = "m", .role = role};
}

class LibraryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(),
                                                        {testing::stored_paper("2401.00010", "Graph networks", kNow),
                                                         testing::stored_paper("2401.00020", "Diffusion models", kNow),
                                                         testing::stored_paper("2401.00030", "Galaxy survey", kNow)},
                                                        db_));
    papers_ = &db_->papers();
    library_ = &db_->library();
    options_.max_collections = 3;
    options_.max_collection_papers = 2;
    options_.max_follows = 2;
    options_.comments_per_window = 3;
    options_.comment_window_s = 600;
    options_.comment_max_bytes = 50;
    service_ = std::make_unique<LibraryService>(*papers_, *library_, options_);
  }

  Collection create(const Account& owner, const std::string& name, bool is_public) {
    auto c = service_->create_collection(owner, name, is_public, kNow);
    EXPECT_TRUE(c) << c.error().to_string();
    return c ? *c : Collection{};
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  store::Store* papers_ = nullptr;
  store::LibraryStore* library_ = nullptr;
  LibraryOptions options_;
  std::unique_ptr<LibraryService> service_;
  Account ada_ = member(1);
  Account bob_ = member(2);
};

TEST_F(LibraryServiceTest, CollectionsBeyondTheQuotaAreRefusedWithQuotaExceeded) {
  create(ada_, "One", false);
  create(ada_, "Two", false);
  create(ada_, "Three", true);
  auto fourth = service_->create_collection(ada_, "Four", false, kNow);
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code(), StatusCode::kQuotaExceeded) << fourth.error().to_string();
  EXPECT_EQ(service_->collections_of(ada_)->size(), 3u);
  auto by_save = service_->save_paper_to_new(ada_, "Five", false, "2401.00010", kNow);
  ASSERT_FALSE(by_save);
  EXPECT_EQ(by_save.error().code(), StatusCode::kQuotaExceeded);
  // The quota is per account: another account still creates.
  EXPECT_TRUE(service_->create_collection(bob_, "One", false, kNow));
}

TEST_F(LibraryServiceTest, ACollectionHoldsAtMostItsQuotaOfPapers) {
  ASSERT_TRUE(service_->save_paper(ada_, "saved", "2401.00010", kNow));
  auto second = service_->save_paper(ada_, "saved", "arXiv:2401.00020v1", kNow);
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_TRUE(second->changed);
  EXPECT_EQ(second->collection.paper_count, 2);
  auto third = service_->save_paper(ada_, "saved", "2401.00030", kNow);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code(), StatusCode::kQuotaExceeded) << third.error().to_string();
  auto saved = service_->read_saved(ada_);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->papers.size(), 2u);
}

TEST_F(LibraryServiceTest, SavedMarksOnlyLookAndCreateNothing) {
  const std::vector<std::string> ids = {"2401.00010", "2401.00020"};
  auto none = service_->saved_among(ada_, ids);
  ASSERT_TRUE(none) << none.error().to_string();
  EXPECT_TRUE(none->empty());
  EXPECT_TRUE(service_->collections_of(ada_)->empty());
  auto saved_read = service_->read_saved(ada_);
  ASSERT_TRUE(saved_read);
  EXPECT_EQ(saved_read->collection.name, "Saved");
  EXPECT_TRUE(service_->collections_of(ada_)->empty());
  ASSERT_TRUE(service_->save_paper(ada_, "saved", "2401.00020", kNow));
  auto marks = service_->saved_among(ada_, ids);
  ASSERT_TRUE(marks);
  EXPECT_EQ(*marks, std::unordered_set<std::string>{"2401.00020"});
  EXPECT_TRUE(service_->saved_among(bob_, ids)->empty());
}

TEST_F(LibraryServiceTest, FollowsBeyondTheQuotaAreRefusedWithQuotaExceeded) {
  ASSERT_TRUE(service_->follow(ada_, "category", "cs.LG", kNow));
  ASSERT_TRUE(service_->follow(ada_, "author", "Lovelace|Ada", kNow));
  auto third = service_->follow(ada_, "search", "graph networks", kNow);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code(), StatusCode::kQuotaExceeded) << third.error().to_string();
  EXPECT_EQ(service_->follows_of(ada_)->size(), 2u);
  ASSERT_TRUE(service_->unfollow(ada_, "category", "cs.LG"));
  EXPECT_TRUE(service_->follow(ada_, "search", "graph networks", kNow));
}

TEST_F(LibraryServiceTest, APrivateCollectionIsNotFoundForAnyoneButItsOwner) {
  Collection priv = create(ada_, "Private reading", false);
  ASSERT_TRUE(service_->save_paper(ada_, std::to_string(priv.id), "2401.00010", kNow));
  auto mine = service_->read_collection(priv.id, &ada_);
  ASSERT_TRUE(mine) << mine.error().to_string();
  ASSERT_EQ(mine->papers.size(), 1u);
  EXPECT_EQ(mine->papers[0].paper.id, "2401.00010");
  EXPECT_TRUE(mine->is_read_by_owner);
  auto for_bob = service_->read_collection(priv.id, &bob_);
  ASSERT_FALSE(for_bob);
  EXPECT_EQ(for_bob.error().code(), StatusCode::kNotFound);
  auto anonymous = service_->read_collection(priv.id, nullptr);
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().code(), StatusCode::kNotFound);
  // The same answer as a collection that does not exist, so existence does not leak.
  auto missing = service_->read_collection(priv.id + 1000, &bob_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), for_bob.error().code());
  EXPECT_EQ(service_->read_public_collection(priv.id).error().code(), StatusCode::kNotFound);

  Collection pub = create(ada_, "Public reading", true);
  auto public_for_bob = service_->read_collection(pub.id, &bob_);
  ASSERT_TRUE(public_for_bob);
  EXPECT_FALSE(public_for_bob->is_read_by_owner);
  EXPECT_TRUE(service_->read_collection(pub.id, nullptr));
  EXPECT_TRUE(service_->read_public_collection(pub.id));
}

TEST_F(LibraryServiceTest, NobodyChangesAnotherAccountsCollection) {
  Collection pub = create(ada_, "Public", true);
  Collection priv = create(ada_, "Private", false);
  ASSERT_TRUE(service_->save_paper(ada_, std::to_string(pub.id), "2401.00010", kNow));
  std::string p = std::to_string(pub.id), q = std::to_string(priv.id);
  // Someone else's public collection is visible but not theirs; a private one does not exist.
  EXPECT_EQ(service_->save_paper(bob_, p, "2401.00020", kNow).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->save_paper(bob_, q, "2401.00020", kNow).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->remove_paper(bob_, p, "2401.00010", kNow).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->set_collection_public(bob_, p, false, kNow).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->set_collection_public(bob_, q, true, kNow).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->delete_collection(bob_, p, kNow).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->delete_collection(bob_, q, kNow).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->delete_collection(bob_, "x1", kNow).error().code(), StatusCode::kInvalidArgument);
  // Nothing changed.
  auto still = service_->read_collection(pub.id, nullptr);
  ASSERT_TRUE(still);
  EXPECT_TRUE(still->collection.is_public);
  ASSERT_EQ(still->papers.size(), 1u);
  EXPECT_EQ(still->papers[0].paper.id, "2401.00010");
  EXPECT_TRUE(service_->read_collection(priv.id, &ada_));
  EXPECT_TRUE(service_->collections_of(bob_)->empty());
  // The owner may.
  EXPECT_TRUE(service_->set_collection_public(ada_, q, true, kNow));
  EXPECT_TRUE(service_->read_collection(priv.id, &bob_));
  EXPECT_TRUE(service_->delete_collection(ada_, p, kNow));
  EXPECT_EQ(service_->read_collection(pub.id, &ada_).error().code(), StatusCode::kNotFound);
}

TEST_F(LibraryServiceTest, CollectionNamesAreTrimmedAndChecked) {
  struct Case {
    std::string name;
    StatusCode code;
  };
  const Case cases[] = {{"", StatusCode::kInvalidArgument},
                        {" \t ", StatusCode::kInvalidArgument},
                        {std::string(101, 'a'), StatusCode::kInvalidArgument},
                        {"two\nlines", StatusCode::kInvalidArgument},
                        {"tab\there", StatusCode::kInvalidArgument},
                        {std::string(100, 'a'), StatusCode::kOk}};
  for (const auto& c : cases) {
    auto made = service_->create_collection(ada_, c.name, false, kNow);
    EXPECT_EQ(made ? StatusCode::kOk : made.error().code(), c.code) << "name '" << c.name << "'";
  }
  auto trimmed = service_->create_collection(ada_, "  Reading list \n", false, kNow);
  ASSERT_TRUE(trimmed) << trimmed.error().to_string();
  EXPECT_EQ(trimmed->name, "Reading list");
  auto again = service_->create_collection(ada_, "Reading list", false, kNow);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), StatusCode::kAlreadyExists);
}

TEST_F(LibraryServiceTest, PapersMustBeArxivIdsTheServerHas) {
  EXPECT_EQ(service_->save_paper(ada_, "saved", "not an id", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->save_paper(ada_, "saved", "2401.99999", kNow).error().code(), StatusCode::kNotFound);
  // A collection made for a paper that cannot be saved is not made.
  EXPECT_EQ(service_->save_paper_to_new(ada_, "New", false, "2401.99999", kNow).error().code(), StatusCode::kNotFound);
  auto mine = service_->collections_of(ada_);
  ASSERT_TRUE(mine);
  EXPECT_TRUE(std::ranges::none_of(*mine, [](const Collection& c) { return c.name == "New"; }));
  EXPECT_EQ(service_->add_comment(ada_, "2401.99999", "hello", kNow).error().code(), StatusCode::kNotFound);
}

TEST_F(LibraryServiceTest, FollowKindsAndValuesAreChecked) {
  EXPECT_EQ(service_->follow(ada_, "planet", "cs.LG", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->follow(ada_, "category", "cs LG", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->follow(ada_, "category", "", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->follow(ada_, "author", "|Ada", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->follow(ada_, "author", "A|B|C", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->follow(ada_, "search", "two\nlines", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(service_->follows_of(ada_)->empty());
  auto f = service_->follow(ada_, "author", "Lovelace|Ada", kNow);
  ASSERT_TRUE(f) << f.error().to_string();
  EXPECT_EQ(f->kind, FollowKind::kAuthor);
  EXPECT_TRUE(*service_->is_following(ada_, FollowKind::kAuthor, "Lovelace|Ada"));
  EXPECT_FALSE(*service_->is_following(bob_, FollowKind::kAuthor, "Lovelace|Ada"));
}

TEST_F(LibraryServiceTest, OnlyTheAuthorEditsAndTheAuthorOrAModeratorDeletes) {
  auto c = service_->add_comment(ada_, "2401.00010v1", "  First **thoughts**  ", kNow);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->paper_id, "2401.00010");
  EXPECT_EQ(c->body, "First **thoughts**");
  Account curator = member(3, store::Role::kCurator);
  EXPECT_EQ(service_->editable_comment(bob_, c->id).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->edit_comment(bob_, c->id, "hijacked", kNow).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->edit_comment(curator, c->id, "curated", kNow).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->delete_comment(bob_, c->id).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->edit_comment(ada_, c->id + 100, "x", kNow).error().code(), StatusCode::kNotFound);
  auto edited = service_->edit_comment(ada_, c->id, "Second thoughts", kNow + 5);
  ASSERT_TRUE(edited) << edited.error().to_string();
  EXPECT_EQ(edited->edited_at, kNow + 5);
  auto shown = service_->comments_on("2401.00010");
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->size(), 1u);
  EXPECT_EQ(shown->at(0).body, "Second thoughts");
  EXPECT_FALSE(LibraryService::may_delete(bob_, *c));
  EXPECT_TRUE(LibraryService::may_delete(curator, *c));
  ASSERT_TRUE(service_->delete_comment(curator, c->id));
  EXPECT_TRUE(service_->comments_on("2401.00010")->empty());
}

TEST_F(LibraryServiceTest, CommentsAreSizeLimitedAndRateLimitedPerAccount) {
  EXPECT_EQ(service_->add_comment(ada_, "2401.00010", " \n ", kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->add_comment(ada_, "2401.00010", std::string(51, 'x'), kNow).error().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(service_->add_comment(ada_, "2401.00010", std::string(50, 'x'), kNow));
  auto second = service_->add_comment(ada_, "2401.00010", "two", kNow);
  ASSERT_TRUE(second);
  // An edit counts against the same budget as a new comment.
  ASSERT_TRUE(service_->edit_comment(ada_, second->id, "three", kNow));
  auto refused = service_->add_comment(ada_, "2401.00010", "four", kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::kRateLimited);
  EXPECT_EQ(refused.error().retry_after_s(), 600);
  EXPECT_EQ(service_->comments_on("2401.00010")->size(), 2u);
  // Another account has its own budget, and the window passes.
  EXPECT_TRUE(service_->add_comment(bob_, "2401.00010", "bob", kNow));
  EXPECT_TRUE(service_->add_comment(ada_, "2401.00010", "later", kNow + 601));
}

TEST_F(LibraryServiceTest, RepliesNestOneLevelUnderAnExistingCommentOnTheSamePaper) {
  auto top = service_->add_comment(ada_, "2401.00010", "top", kNow);
  ASSERT_TRUE(top) << top.error().to_string();
  auto reply = service_->add_comment(bob_, "2401.00010", "reply", kNow, top->id);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->parent_id, top->id);
  // A reply to a reply joins the top-level comment's thread.
  auto deeper = service_->add_comment(ada_, "2401.00010", "deeper", kNow, reply->id);
  ASSERT_TRUE(deeper) << deeper.error().to_string();
  EXPECT_EQ(deeper->parent_id, top->id);
  auto elsewhere = service_->add_comment(bob_, "2401.00020", "wrong paper", kNow, top->id);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(elsewhere.error().message().find("another paper"), std::string::npos);
  auto missing = service_->add_comment(bob_, "2401.00010", "to nothing", kNow, top->id + 100);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->add_comment(bob_, "2401.00010", "negative", kNow, -4).error().code(),
            StatusCode::kInvalidArgument);
  // A deleted parent is gone: no new replies to it, the old ones stay.
  ASSERT_TRUE(service_->delete_comment(ada_, top->id));
  auto late = service_->add_comment(bob_, "2401.00010", "late", kNow + 700, top->id);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->comments_on("2401.00010")->size(), 2u);
}

TEST_F(LibraryServiceTest, DeletingAccountDataRemovesOnlyThatAccountsLibrary) {
  Collection c = create(ada_, "Mine", true);
  ASSERT_TRUE(service_->follow(ada_, "category", "cs.LG", kNow));
  ASSERT_TRUE(service_->add_comment(ada_, "2401.00010", "hello", kNow));
  ASSERT_TRUE(service_->follow(bob_, "category", "cs.LG", kNow));
  ASSERT_TRUE(service_->delete_account_data(ada_.id).is_ok());
  EXPECT_EQ(service_->read_collection(c.id, nullptr).error().code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->follows_of(ada_)->empty());
  EXPECT_TRUE(service_->comments_on("2401.00010")->empty());
  EXPECT_EQ(service_->follows_of(bob_)->size(), 1u);
}

}  // namespace
}  // namespace paperboy::app
