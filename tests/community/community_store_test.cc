// CommunityStore and AccountService against every backend: a real SQLite file and a real PostgreSQL
// (support/postgres_server.h, a fresh database per test): accounts, sessions, API tokens, votes
// (one per account and paper, even from many threads), account deletion. On PostgreSQL also two
// store objects on one database, as two instances would have, voting at once.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "community/accounts.h"
#include "community/rate_limiter.h"
#include "community/secrets.h"
#include "core/time.h"
#include "rank/trending.h"
#include "store/community_store.h"
#include "store/database.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::community {
namespace {

// The parameter names the backend: "sqlite" or "postgresql".
class CommunityStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      url_ = paperboy::testing::fresh_postgres_database();
      ASSERT_FALSE(url_.empty());
    } else {
      url_ = "sqlite:" + (dir_.path() / "test.db").string();
    }
    auto s = store::open_database({.url = url_});
    ASSERT_TRUE(s) << s.error().to_string();
    database_ = std::move(*s);
    store_ = &database_->community();
    AccountOptions ao;
    ao.hash_cost = HashCost::kMinimum;
    ao.limits.account_free_failures = 5;
    accounts_ = std::make_unique<AccountService>(*store_, ao);
  }

  store::Account make(const std::string& email) {
    auto a = accounts_->sign_up(email, "correct horse battery", "");
    EXPECT_TRUE(a) << a.error().to_string();
    return *a;
  }

  paperboy::testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<store::Database> database_;
  store::CommunityStore* store_ = nullptr;
  std::unique_ptr<AccountService> accounts_;
};

TEST(Secrets, PasswordHashIsArgon2idAndVerifies) {
  auto h = hash_password("correct horse battery", HashCost::kMinimum);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("correct horse battery", *h));
  EXPECT_FALSE(verify_password("correct horse batterY", *h));
  EXPECT_FALSE(verify_password("x", "not a hash"));
}

TEST(Secrets, RandomSecretsDifferAndHashDeterministically) {
  std::string a = random_secret(), b = random_secret();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(hash_secret(a), hash_secret(a));
  EXPECT_NE(hash_secret(a), a);
  EXPECT_EQ(hash_secret(a).size(), 64u);
}

TEST(Email, NormalisesAndRejectsMalformedAddresses) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (Case c : {Case{" Ada@Example.ORG ", "ada@example.org"}, Case{"a.b+c@x.io", "a.b+c@x.io"}}) {
    auto r = normalise_email(c.in);
    ASSERT_TRUE(r) << c.in;
    EXPECT_EQ(*r, c.out);
  }
  for (const char* bad : {"", "ada", "@x.org", "ada@", "ada@localhost", "a@b@c.org", "a b@c.org", "ada@.org"}) {
    EXPECT_FALSE(normalise_email(bad)) << bad;
  }
}

TEST(RateLimiter, RefusesBeyondLimitWithinWindowAndRecovers) {
  RateLimiter limiter(3, 60);
  EXPECT_TRUE(limiter.allow("k", 100));
  EXPECT_TRUE(limiter.allow("k", 101));
  EXPECT_TRUE(limiter.allow("k", 102));
  EXPECT_FALSE(limiter.allow("k", 103));
  EXPECT_TRUE(limiter.allow("other", 103));
  EXPECT_TRUE(limiter.allow("k", 161));  // the first event left the window
}

TEST(TrendingScore, FollowsGravityFormula) {
  std::int64_t now = 1'700'000'000;
  EXPECT_DOUBLE_EQ(rank::trending_score(10, now, now), 10.0 / std::pow(2.0, 1.8));
  EXPECT_DOUBLE_EQ(rank::trending_score(10, now - 10 * 3600, now), 10.0 / std::pow(12.0, 1.8));
  // A newer paper with fewer votes can outrank an older one with more.
  auto ranked = rank::rank_trending({{"old", 20, now - 72 * 3600}, {"new", 5, now - 3600}}, now);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].paper_id, "new");
}

TEST_P(CommunityStoreTest, DuplicateEmailIsRejectedWhateverItsCase) {
  make("ada@example.org");
  auto again = accounts_->sign_up("ADA@example.org", "another long password", "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), StatusCode::kAlreadyExists);
}

TEST_P(CommunityStoreTest, AccountsAreFoundByEmailOrIdAndNotInventedOtherwise) {
  store::Account ada = make("ada@example.org");
  auto by_email = accounts_->find_by_email("ada@example.org");
  ASSERT_TRUE(by_email && *by_email) << (by_email ? "absent" : by_email.error().to_string());
  EXPECT_EQ((*by_email)->id, ada.id);
  auto by_id = accounts_->find(ada.id);
  ASSERT_TRUE(by_id && *by_id);
  EXPECT_EQ((*by_id)->email, "ada@example.org");
  EXPECT_FALSE(*accounts_->find_by_email("nobody@example.org"));
  EXPECT_FALSE(*accounts_->find(ada.id + 1000));
}

TEST_P(CommunityStoreTest, AccountsAreFoundByNameOldestFirst) {
  auto first = accounts_->sign_up("first@example.org", "a long enough password", "Ada L");
  ASSERT_TRUE(first) << first.error().to_string();
  auto second = accounts_->sign_up("second@example.org", "a long enough password", "Ada L");
  ASSERT_TRUE(second);
  auto found = store_->find_account_by_name("Ada L");
  ASSERT_TRUE(found && *found) << (found ? "absent" : found.error().to_string());
  EXPECT_EQ((*found)->id, first->id);
  EXPECT_FALSE(*store_->find_account_by_name("ada l"));  // exact names only
  EXPECT_FALSE(*store_->find_account_by_name("Nobody"));
}

TEST_P(CommunityStoreTest, ShortPasswordIsRejected) {
  auto a = accounts_->sign_up("ada@example.org", "short", "");
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message().find("at least 10"), std::string::npos);
}

TEST_P(CommunityStoreTest, LoginErrorIsTheSameForUnknownEmailAndWrongPassword) {
  make("ada@example.org");
  auto wrong = accounts_->authenticate("ada@example.org", "wrong password!", "c1");
  auto unknown = accounts_->authenticate("nobody@example.org", "wrong password!", "c2");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().code(), unknown.error().code());
  EXPECT_EQ(wrong.error().message(), unknown.error().message());
  auto ok = accounts_->authenticate("Ada@Example.org", "correct horse battery", "c3");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->email, "ada@example.org");
}

TEST_P(CommunityStoreTest, LoginIsRateLimitedPerEmail) {
  make("ada@example.org");
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(accounts_->authenticate("ada@example.org", "wrong password!", "c" + std::to_string(i)));
  auto blocked = accounts_->authenticate("ada@example.org", "correct horse battery", "fresh-client");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code(), StatusCode::kRateLimited);
  EXPECT_GT(blocked.error().retry_after_s(), 0);  // the wait travels with the status
}

TEST_P(CommunityStoreTest, SessionsAreStoredHashedAndEndOnLogoutAndPasswordChange) {
  auto a = make("ada@example.org");
  auto s1 = accounts_->start_session(a);
  auto s2 = accounts_->start_session(a);
  ASSERT_TRUE(s1 && s2);
  EXPECT_NE(s1->secret, s2->secret);
  // The raw secret is not a key of the store: only its hash is.
  auto raw = store_->session_account(s1->secret, core::unix_now());
  ASSERT_TRUE(raw);
  EXPECT_FALSE(*raw);
  auto found = accounts_->session_account(s1->secret);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, a.id);
  EXPECT_TRUE((*found)->email == "ada@example.org");
  ASSERT_TRUE(accounts_->end_session(s1->secret).is_ok());
  EXPECT_FALSE(*accounts_->session_account(s1->secret));
  ASSERT_TRUE(accounts_->change_password(a.id, "a brand new password").is_ok());
  EXPECT_FALSE(*accounts_->session_account(s2->secret));
}

TEST_P(CommunityStoreTest, ApiTokenIdentifiesItsAccountAndIsStoredHashed) {
  auto a = make("ada@example.org");
  auto token = accounts_->issue_api_token(a, "cli");
  ASSERT_TRUE(token);
  auto who = accounts_->token_account(*token);
  ASSERT_TRUE(who && *who);
  EXPECT_EQ((*who)->id, a.id);
  EXPECT_FALSE(*store_->token_account(*token));  // the raw token is not what is stored
  EXPECT_FALSE(*accounts_->token_account(*token + "x"));
}

TEST_P(CommunityStoreTest, VoteTogglesAndCountsOncePerAccount) {
  auto a = make("ada@example.org");
  auto b = make("bob@example.org");
  std::int64_t now = core::unix_now();
  EXPECT_EQ(store_->set_vote(a.id, "2401.00010", now, true, now)->upvotes, 1);
  EXPECT_EQ(store_->set_vote(a.id, "2401.00010", now, true, now)->upvotes, 1);  // second vote: no change
  EXPECT_EQ(store_->set_vote(b.id, "2401.00010", now, true, now)->upvotes, 2);
  EXPECT_EQ(store_->set_vote(a.id, "2401.00010", now, false, now)->upvotes, 1);
  EXPECT_EQ(store_->set_vote(a.id, "2401.00010", now, false, now)->upvotes, 1);  // nothing to remove
  std::vector<std::string> ids = {"2401.00010", "2401.00099"};
  auto counts = store_->vote_counts(ids);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("2401.00010"), 1);
  EXPECT_FALSE(counts->contains("2401.00099"));
  EXPECT_TRUE(store_->voted_papers(b.id, ids)->contains("2401.00010"));
  EXPECT_FALSE(store_->voted_papers(a.id, ids)->contains("2401.00010"));
}

TEST_P(CommunityStoreTest, PapersVotedByListsAnAccountsVotesMostRecentFirst) {
  auto a = make("ada@example.org");
  auto b = make("bob@example.org");
  std::int64_t now = core::unix_now();
  ASSERT_TRUE(store_->set_vote(a.id, "2401.00010", now, true, now - 30));
  ASSERT_TRUE(store_->set_vote(a.id, "2401.00020", now, true, now - 10));
  ASSERT_TRUE(store_->set_vote(a.id, "2401.00030", now, true, now - 20));
  ASSERT_TRUE(store_->set_vote(b.id, "2401.00040", now, true, now));
  ASSERT_TRUE(store_->set_vote(a.id, "2401.00030", now, false, now));  // withdrawn: no longer a like
  auto liked = store_->papers_voted_by(a.id, 10);
  ASSERT_TRUE(liked);
  EXPECT_EQ(*liked, (std::vector<std::string>{"2401.00020", "2401.00010"}));
  EXPECT_EQ(*store_->papers_voted_by(a.id, 1), std::vector<std::string>{"2401.00020"});
  EXPECT_TRUE(store_->papers_voted_by(make("cy@example.org").id, 10)->empty());
}

TEST_P(CommunityStoreTest, ConcurrentVotesCountEachAccountOnce) {
  constexpr int kAccounts = 16, kTries = 20;
  std::vector<store::Account> voters;
  for (int i = 0; i < kAccounts; ++i) voters.push_back(make("v" + std::to_string(i) + "@example.org"));
  std::int64_t now = core::unix_now();
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  // Each account votes from several threads at once, many times: the count must stay one per account.
  for (int t = 0; t < 32; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTries; ++i) {
        auto r = store_->set_vote(voters[(t + i) % kAccounts].id, "2401.00010", now, true, now);
        if (!r) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::vector<std::string> ids = {"2401.00010"};
  EXPECT_EQ(store_->vote_counts(ids)->at("2401.00010"), kAccounts);
}

TEST_P(CommunityStoreTest, DeletingAnAccountRemovesItsVotesSessionsAndTokens) {
  auto a = make("ada@example.org");
  auto b = make("bob@example.org");
  std::int64_t now = core::unix_now();
  ASSERT_TRUE(store_->set_vote(a.id, "2401.00010", now, true, now));
  ASSERT_TRUE(store_->set_vote(b.id, "2401.00010", now, true, now));
  auto session = accounts_->start_session(a);
  auto token = accounts_->issue_api_token(a, "x");
  ASSERT_TRUE(session && token);
  Status deleted = accounts_->delete_account(a.id);
  ASSERT_TRUE(deleted.is_ok()) << deleted.to_string();
  std::vector<std::string> ids = {"2401.00010"};
  EXPECT_EQ(store_->vote_counts(ids)->at("2401.00010"), 1);
  EXPECT_FALSE(*accounts_->session_account(session->secret));
  EXPECT_FALSE(*accounts_->token_account(*token));
  EXPECT_FALSE(*store_->find_account_by_email("ada@example.org"));
  EXPECT_TRUE(*store_->find_account_by_email("bob@example.org"));
}

INSTANTIATE_TEST_SUITE_P(Backends, CommunityStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// Two instances on one PostgreSQL: separate store objects (separate pools, as separate processes
// have), many threads each, voting and unvoting the same papers. Every count must equal the votes
// left standing, and each account counts once per paper.
class CrossInstanceVotes : public CommunityStoreTest {};

TEST_P(CrossInstanceVotes, TwoStoresVotingConcurrentlyAddUpExactly) {
  auto second = store::open_database({.url = url_});
  ASSERT_TRUE(second) << second.error().to_string();
  std::array<store::CommunityStore*, 2> instances = {store_, &(*second)->community()};
  constexpr int kAccounts = 24;
  const std::vector<std::string> papers = {"2401.00001", "2401.00002", "2401.00003"};
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kAccounts; ++i) ids.push_back(make("x" + std::to_string(i) + "@example.org").id);
  std::int64_t now = core::unix_now();
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  // Every account votes every paper up through both instances at once; accounts divisible by 3
  // then take their vote on the second paper back, also through both.
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      store::CommunityStore& s = *instances[t % 2];
      for (int a = 0; a < kAccounts; ++a) {
        for (const auto& p : papers) {
          if (!s.set_vote(ids[(a + t) % kAccounts], p, now, true, now)) ++errors;
        }
      }
      for (int a = 0; a < kAccounts; a += 3) {
        if (!s.set_vote(ids[a], papers[1], now, false, now)) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  auto counts = instances[1]->vote_counts(papers);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at(papers[0]), kAccounts);
  EXPECT_EQ(counts->at(papers[1]), kAccounts - kAccounts / 3);
  EXPECT_EQ(counts->at(papers[2]), kAccounts);
  // The other instance's page cache sees the change: the shared generation moved.
  auto g1 = instances[0]->vote_generation();
  auto g2 = instances[1]->vote_generation();
  ASSERT_TRUE(g1 && g2);
  EXPECT_EQ(*g1, *g2);
  EXPECT_GE(*g1, kAccounts * 3);
}

INSTANTIATE_TEST_SUITE_P(Postgres, CrossInstanceVotes, ::testing::Values("postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace paperboy::community
