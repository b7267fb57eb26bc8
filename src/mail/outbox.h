// DigestOutbox: queues digest issues for confirmed subscribers and delivers the outbox (digests
// and confirmation mails) through a MailSender, one SMTP transaction at a time, at most one every
// `min_interval_s` (the send rate limit of this process). Temporary failures (4xx, server down)
// are retried with exponential backoff; permanent ones (5xx) are recorded, never retried, and
// pause the address after `pause_after_failures` in a row.
//
// Delivery guarantee. A row is claimed (state `sending`, committed) before its SMTP transaction
// and marked `sent` right after the server's 250. If the process dies between the two, the row
// stays `sending` until its claim expires (`claim_lease_s`) and is then sent again, with the same
// Message-ID and bytes. So every subscriber gets each issue at least once; a duplicate needs a
// crash inside the microseconds between the 250 and the commit, can only hit the one row in
// flight, and is recognisable by its Message-ID. Exactly-once over SMTP is impossible without the
// receiving server's help; we prefer a rare same-id duplicate over a silently lost digest.
// Rows are never composed twice into different content for one issue (UNIQUE(subscription, issue)).
//
// DigestScheduler (for `paperboy serve`) runs the outbox on a background thread: it queues the
// daily issue once the UTC day passes `send_at` (weekly: from Monday's), drains the outbox, and can
// be woken to send a confirmation at once. With several instances on one database it works only
// while it holds the "digest" JobLease (store/job_lease.h), refreshed on every pass: the other
// instances idle, and the holder's next pass (mail.poll_s) sends what they queued. Even without
// the lease the outbox would not send a row twice (claims are exclusive); the lease keeps one
// process's rate limit the site's. Both classes are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "mail/digest.h"
#include "mail/smtp_sender.h"
#include "store/job_lease.h"
#include "store/mail_store.h"

namespace paperboy::mail {

struct OutboxOptions {
  double min_interval_s = 0.2;   // rate limit: at most 5 mails a second from this process
  int max_attempts = 8;          // temporary failures before a row fails for good
  double backoff_s = 60;         // first retry wait; doubles each attempt, at most 6 hours
  int pause_after_failures = 3;  // permanent failures in a row that pause an address
  int claim_lease_s = 300;       // how long a claimed row is ours before it counts as in doubt
  std::string message_id_domain = "paperboy.invalid";
};

struct DrainSummary {
  int sent = 0, retrying = 0, failed = 0, skipped = 0;
};

class DigestOutbox {
 public:
  // `sender` may be null: queueing and preview work, drain() fails.
  DigestOutbox(store::Store& store, store::MailStore& mail, MailSender* sender, DigestSource& source,
               const DigestComposer& composer, OutboxOptions options);

  // Queues issue `frequency` at `now` for every confirmed subscriber not yet queued; returns rows added.
  Result<int> enqueue(std::string_view frequency, std::int64_t now);
  // How many mails enqueue(frequency, now) + drain would send right now (dry run; sends nothing).
  Result<int> count_due(std::string_view frequency, std::int64_t now);
  // Sends every row due now, until none is due or `stop` is set.
  Result<DrainSummary> drain(const std::atomic<bool>* stop = nullptr);
  // The digest one subscriber would get in the current issue (the preview page).
  Result<MailMessage> preview(const store::Subscription& sub, std::int64_t now);

 private:
  Result<std::optional<MailMessage>> compose(const store::OutboxItem& item, std::int64_t now, std::string& skip_reason);
  void wait_for_rate_limit();

  store::Store& store_;
  store::MailStore& mail_;
  MailSender* sender_;
  DigestSource& source_;
  const DigestComposer& composer_;
  OutboxOptions options_;
  std::mutex send_mu_;  // one drain at a time; guards last_send_
  std::chrono::steady_clock::time_point last_send_{};
};

class DigestScheduler {
 public:
  // `send_at_minute`: minutes after midnight UTC when the day's issues are queued; -1: never queue
  // issues (only deliver what is in the outbox, such as confirmation mails).
  // `lease`: work only while it is held (null: always).
  DigestScheduler(DigestOutbox& outbox, int send_at_minute, double poll_s = 30, store::JobLease* lease = nullptr);
  ~DigestScheduler();  // stops
  DigestScheduler(const DigestScheduler&) = delete;
  DigestScheduler& operator=(const DigestScheduler&) = delete;

  void start();
  void stop();
  void wake();  // run a pass now (a confirmation was queued)
  [[nodiscard]] nlohmann::json status_json() const;

 private:
  void run();
  void pass();

  DigestOutbox& outbox_;
  int send_at_minute_;
  double poll_s_;
  store::JobLease* lease_;
  mutable std::mutex mu_;  // guards the fields below
  std::condition_variable cv_;
  bool woken_ = false;
  std::int64_t passes_ = 0, sent_ = 0, failed_ = 0, standby_passes_ = 0;
  bool is_leader_ = true;
  std::string last_error_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace paperboy::mail
