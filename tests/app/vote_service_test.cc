// VoteService's rules against a real SQLite database in a temporary directory: only papers the
// server has can be voted for, an account votes once per paper whatever id form it uses, and
// taking a vote back lowers the count.
#include "app/vote_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "store/community_store.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace paperboy::app {
namespace {

constexpr std::int64_t kNow = 1767225600;  // 2026-01-01

class VoteServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(),
                                                        {testing::stored_paper("2401.00010", "Graph networks", kNow),
                                                         testing::stored_paper("2401.00020", "Diffusion models", kNow)},
                                                        db_));
    papers_ = &db_->papers();
    community_ = &db_->community();
    for (const char* email : {"ada@example.org", "bob@example.org"}) {
      auto id = community_->create_account(email, email, "hash", store::Role::kUser, kNow);
      ASSERT_TRUE(id) << id.error().to_string();
      accounts_.push_back(Account{.id = *id, .email = email, .name = email});
    }
    service_ = std::make_unique<VoteService>(*papers_, *community_);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  store::Store* papers_ = nullptr;
  store::CommunityStore* community_ = nullptr;
  std::vector<Account> accounts_;
  std::unique_ptr<VoteService> service_;
};

TEST_F(VoteServiceTest, OnlyPapersTheServerHasCanBeVotedFor) {
  const Account& ada = accounts_[0];
  EXPECT_EQ(service_->set_vote(ada, "not an id", true, kNow).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->set_vote(ada, "2401.99999", true, kNow).error().code(), StatusCode::kNotFound);
  const std::vector<std::string> ids = {"2401.99999"};
  EXPECT_TRUE(service_->counts(ids)->empty());
}

TEST_F(VoteServiceTest, AnAccountVotesOncePerPaperWhateverTheIdForm) {
  const Account& ada = accounts_[0];
  const Account& bob = accounts_[1];
  auto first = service_->set_vote(ada, "2401.00010", true, kNow);
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->paper_id, "2401.00010");
  EXPECT_EQ(first->upvotes, 1);
  EXPECT_TRUE(first->is_voted);
  auto again = service_->set_vote(ada, "arXiv:2401.00010v1", true, kNow);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->paper_id, "2401.00010");
  EXPECT_EQ(again->upvotes, 1);
  auto by_bob = service_->set_vote(bob, "2401.00010", true, kNow);
  ASSERT_TRUE(by_bob);
  EXPECT_EQ(by_bob->upvotes, 2);
  const std::vector<std::string> ids = {"2401.00010", "2401.00020"};
  auto counts = service_->counts(ids);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("2401.00010"), 2);
  EXPECT_FALSE(counts->contains("2401.00020"));
  EXPECT_EQ(*service_->voted_among(ada, ids), std::unordered_set<std::string>{"2401.00010"});

  auto taken_back = service_->set_vote(ada, "2401.00010", false, kNow);
  ASSERT_TRUE(taken_back);
  EXPECT_EQ(taken_back->upvotes, 1);
  EXPECT_FALSE(taken_back->is_voted);
  EXPECT_TRUE(service_->voted_among(ada, ids)->empty());
  EXPECT_EQ(*service_->voted_among(bob, ids), std::unordered_set<std::string>{"2401.00010"});
}

}  // namespace
}  // namespace paperboy::app
