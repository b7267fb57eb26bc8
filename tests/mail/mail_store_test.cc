// MailStore against every backend (a real SQLite file; a real PostgreSQL from
// support/postgres_server.h, a fresh database per test): double opt-in bookkeeping, one outbox row
// per issue, claims and their leases, retries, permanent failures and pausing. On PostgreSQL also
// two store objects on one database (two instances) queueing and claiming at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/mail_store.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

// The parameter names the backend: "sqlite" or "postgresql".
class MailStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = GetParam() == "postgresql" ? testing::fresh_postgres_database() : dir_.file("paperboy.db");
    ASSERT_FALSE(url_.empty());
    auto opened = open_database({.url = url_});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    mail_ = &database_->mail();
  }
  Subscription subscribe(const std::string& email, std::int64_t now = 1000, const std::string& freq = "daily") {
    auto out = mail_->subscribe({email, freq, "trending", {}, 0}, now, 600);
    EXPECT_TRUE(out) << out.error().to_string();
    return out->subscription;
  }
  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> database_;
  MailStore* mail_ = nullptr;
};

TEST_P(MailStoreTest, NewAddressIsPendingWithOneConfirmationQueued) {
  auto out = mail_->subscribe({"Ada@Example.org", "weekly", "categories", {"cs.LG", "cs.CL"}, 0}, 1000, 600);
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->confirmation_queued);
  EXPECT_EQ(out->subscription.email, "ada@example.org");
  EXPECT_EQ(out->subscription.status, SubscriptionStatus::kPending);
  EXPECT_EQ(out->subscription.categories, (std::vector<std::string>{"cs.LG", "cs.CL"}));
  auto rows = mail_->outbox(out->subscription.id);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].issue_key.starts_with("confirm:"));
}

TEST_P(MailStoreTest, ResubscribingDoesNotSpam) {
  auto sub = subscribe("ada@example.org", 1000);
  // Pending: a second request within the resend window queues nothing more.
  EXPECT_FALSE(mail_->subscribe({"ada@example.org", "daily", "trending", {}, 0}, 1100, 600)->confirmation_queued);
  EXPECT_TRUE(mail_->subscribe({"ada@example.org", "daily", "trending", {}, 0}, 1700, 600)->confirmation_queued);
  ASSERT_TRUE(*mail_->confirm(sub.id, 1800));
  // Confirmed: nothing queued and preferences unchanged (nobody can change someone else's).
  auto again = mail_->subscribe({"ada@example.org", "weekly", "trending", {}, 0}, 5000, 600);
  EXPECT_FALSE(again->confirmation_queued);
  EXPECT_EQ(again->subscription.frequency, "daily");
  EXPECT_EQ(mail_->outbox(sub.id)->size(), 2u);
  EXPECT_FALSE(*mail_->confirm(sub.id, 1900));  // already confirmed
}

TEST_P(MailStoreTest, OnlyConfirmedSubscribersGetAnIssueAndOnlyOnce) {
  auto a = subscribe("a@example.org");
  auto b = subscribe("b@example.org");
  subscribe("c@example.org", 1000, "weekly");
  ASSERT_TRUE(*mail_->confirm(a.id, 1000));
  EXPECT_EQ(*mail_->enqueue_issue("daily", "daily:2026-11-28", "example.org", 2000), 1);
  EXPECT_EQ(*mail_->enqueue_issue("daily", "daily:2026-11-28", "example.org", 2001), 0);
  ASSERT_TRUE(*mail_->confirm(b.id, 2002));
  EXPECT_EQ(*mail_->enqueue_issue("daily", "daily:2026-11-28", "example.org", 2003), 1);
  auto rows = mail_->outbox(a.id);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].message_id, "daily.2026-11-28." + std::to_string(a.id) + "@example.org");
}

TEST_P(MailStoreTest, ClaimsExpireSoADeadSendersRowIsSentAgain) {
  auto a = subscribe("a@example.org");
  auto first = mail_->claim_due(1000, 10, 60);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].state, OutboxState::kSending);
  EXPECT_EQ((*first)[0].subscription.email, "a@example.org");
  EXPECT_TRUE(mail_->claim_due(1030, 10, 60)->empty());  // still claimed
  auto again = mail_->claim_due(1060, 10, 60);           // the claimer never came back
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
  EXPECT_EQ((*again)[0].message_id, (*first)[0].message_id);
  ASSERT_TRUE(mail_->mark_sent((*again)[0].id, 1061).is_ok());
  EXPECT_TRUE(mail_->claim_due(5000, 10, 60)->empty());
  EXPECT_EQ(mail_->outbox_counts()->sent, 1);
  EXPECT_EQ(a.status, SubscriptionStatus::kPending);
}

TEST_P(MailStoreTest, RetriesWaitAndPermanentFailuresPauseTheAddress) {
  auto a = subscribe("a@example.org");
  ASSERT_TRUE(*mail_->confirm(a.id, 1000));
  auto c = mail_->claim_due(1000, 10, 60);
  ASSERT_TRUE(mail_->mark_retry((*c)[0].id, 1100, "SMTP 451").is_ok());
  EXPECT_TRUE(mail_->claim_due(1099, 10, 60)->empty());
  EXPECT_EQ(*mail_->next_due_at(), 1100);
  ASSERT_TRUE(mail_->mark_failed((*mail_->claim_due(1100, 10, 60))[0].id, "SMTP 550", 2).is_ok());
  EXPECT_EQ((*mail_->subscription(a.id))->status, SubscriptionStatus::kConfirmed);
  ASSERT_EQ(*mail_->enqueue_issue("daily", "daily:x", "d", 1200), 1);
  ASSERT_TRUE(mail_->mark_failed((*mail_->claim_due(1200, 10, 60))[0].id, "SMTP 550", 2).is_ok());
  auto sub = *mail_->subscription(a.id);
  EXPECT_EQ(sub->status, SubscriptionStatus::kPaused);
  EXPECT_EQ(sub->bounces, 2);
  EXPECT_EQ(*mail_->enqueue_issue("daily", "daily:y", "d", 1300), 0);  // paused: no more issues
  auto rows = mail_->outbox(a.id);
  EXPECT_EQ(rows->back().last_error, "SMTP 550");
  EXPECT_EQ(rows->back().state, OutboxState::kFailed);
}

TEST_P(MailStoreTest, UnsubscribingSkipsWhatIsStillQueued) {
  auto a = subscribe("a@example.org");
  ASSERT_TRUE(*mail_->unsubscribe(a.id));
  EXPECT_FALSE(*mail_->unsubscribe(a.id));
  EXPECT_TRUE(mail_->claim_due(5000, 10, 60)->empty());
  EXPECT_EQ((*mail_->subscription(a.id))->status, SubscriptionStatus::kUnsubscribed);
  // Subscribing again starts over with a new confirmation.
  EXPECT_TRUE(mail_->subscribe({"a@example.org", "weekly", "trending", {}, 0}, 6000, 600)->confirmation_queued);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

class CrossInstanceOutbox : public MailStoreTest {};

// Two outboxes on one database (as two `serve` instances or two `digest send` runs): both queue
// the same issue, then claim in small batches from several threads each. Every row is claimed
// exactly once, and the issue is queued once per subscriber.
TEST_P(CrossInstanceOutbox, TwoStoresClaimingConcurrentlyNeverClaimTheSameRow) {
  auto second = open_database({.url = url_});
  ASSERT_TRUE(second) << second.error().to_string();
  std::array<MailStore*, 2> instances = {mail_, &(*second)->mail()};
  constexpr int kSubscribers = 120;
  for (int i = 0; i < kSubscribers; ++i) {
    auto sub = subscribe("s" + std::to_string(i) + "@example.org");
    ASSERT_TRUE(*mail_->confirm(sub.id, 1000));
  }
  std::atomic<int> queued{0};
  std::vector<std::thread> enqueuers;
  for (int t = 0; t < 4; ++t) {
    enqueuers.emplace_back([&, t] {
      auto n = instances[t % 2]->enqueue_issue("daily", "daily:2026-11-28", "example.org", 2000);
      if (n) queued += *n;
    });
  }
  for (auto& t : enqueuers) t.join();
  EXPECT_EQ(queued.load(), kSubscribers);
  // 120 confirmations + 120 digests are due; claim them all with a long lease.
  std::mutex mu;
  std::vector<std::int64_t> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> claimers;
  for (int t = 0; t < 8; ++t) {
    claimers.emplace_back([&, t] {
      for (;;) {
        auto batch = instances[t % 2]->claim_due(3000, 3, 600);
        if (!batch) {
          ++errors;
          return;
        }
        if (batch->empty()) return;
        std::lock_guard lock(mu);
        for (const auto& item : *batch) claimed.push_back(item.id);
      }
    });
  }
  for (auto& t : claimers) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::sort(claimed.begin(), claimed.end());
  EXPECT_EQ(std::adjacent_find(claimed.begin(), claimed.end()), claimed.end()) << "a row was claimed twice";
  EXPECT_EQ(claimed.size(), 2u * kSubscribers);
  EXPECT_EQ(instances[1]->outbox_counts()->sending, 2 * kSubscribers);
}

INSTANTIATE_TEST_SUITE_P(Postgres, CrossInstanceOutbox, ::testing::Values("postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace paperboy::store
