#include "mail/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/job_guard.h"
#include "core/time.h"

namespace paperboy::mail {

DigestOutbox::DigestOutbox(store::Store& store, store::MailStore& mail, MailSender* sender, DigestSource& source,
                           const DigestComposer& composer, OutboxOptions options)
    : store_(store), mail_(mail), sender_(sender), source_(source), composer_(composer), options_(std::move(options)) {}

Result<int> DigestOutbox::enqueue(std::string_view frequency, std::int64_t now) {
  auto key = issue_key(frequency, now);
  if (!key) return fail(key.error());
  return mail_.enqueue_issue(frequency, *key, options_.message_id_domain, now);
}

Result<int> DigestOutbox::count_due(std::string_view frequency, std::int64_t now) {
  auto key = issue_key(frequency, now);
  if (!key) return fail(key.error());
  auto subs = mail_.confirmed_subscriptions(frequency);
  if (!subs) return fail(subs.error());
  int due = 0;
  for (const auto& sub : *subs) {
    auto rows = mail_.outbox(sub.id);
    if (!rows) return fail(rows.error());
    bool queued = std::ranges::any_of(*rows, [&](const store::OutboxItem& r) { return r.issue_key == *key; });
    if (!queued) ++due;
  }
  auto counts = mail_.outbox_counts();
  if (!counts) return fail(counts.error());
  return due + static_cast<int>(counts->pending);
}

Result<std::optional<MailMessage>> DigestOutbox::compose(const store::OutboxItem& item, std::int64_t now,
                                                         std::string& skip_reason) {
  const store::Subscription& sub = item.subscription;
  std::string mid = item.message_id;
  if (mid.find('@') == std::string::npos) mid += "@" + options_.message_id_domain;
  if (item.issue_key.starts_with("confirm:")) {
    if (sub.status != store::SubscriptionStatus::kPending) {
      skip_reason = "subscription is " + std::string(store::subscription_status_name(sub.status));
      return std::optional<MailMessage>();
    }
    return std::optional<MailMessage>(composer_.confirmation(sub, mid, now));
  }
  // Double opt-in: digests go to confirmed addresses only, checked again at send time.
  if (sub.status != store::SubscriptionStatus::kConfirmed) {
    skip_reason = "subscription is " + std::string(store::subscription_status_name(sub.status));
    return std::optional<MailMessage>();
  }
  auto issue = digest_issue(store_, item.issue_key);
  if (!issue) return fail(issue.error());
  auto entries = source_.papers(sub, *issue);
  if (!entries) return fail(entries.error());
  if (entries->empty()) {
    skip_reason = "no papers for this issue";
    return std::optional<MailMessage>();
  }
  return std::optional<MailMessage>(composer_.digest(sub, *issue, *entries, mid, now));
}

Result<MailMessage> DigestOutbox::preview(const store::Subscription& sub, std::int64_t now) {
  auto key = issue_key(sub.frequency, now);
  if (!key) return fail(key.error());
  auto issue = digest_issue(store_, *key);
  if (!issue) return fail(issue.error());
  auto entries = source_.papers(sub, *issue);
  if (!entries) return fail(entries.error());
  return composer_.digest(sub, *issue, *entries, "preview@" + options_.message_id_domain, now);
}

void DigestOutbox::wait_for_rate_limit() {
  auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(options_.min_interval_s));
  auto next = last_send_ + interval;
  auto now = std::chrono::steady_clock::now();
  if (next > now) std::this_thread::sleep_for(next - now);
  last_send_ = std::chrono::steady_clock::now();
}

Result<DrainSummary> DigestOutbox::drain(const std::atomic<bool>* stop) {
  if (sender_ == nullptr) return fail(Status::invalid_argument("no SMTP server configured (mail.smtp_url)"));
  std::lock_guard lock(send_mu_);
  DrainSummary summary;
  // One drain tries each row at most once: only rows due when it began are claimed, so a row
  // that failed and is due again a second later waits for the next drain, however long this one
  // takes (and the loop ends even when every retry is due at once).
  const std::int64_t began = core::unix_now();
  while (stop == nullptr || !stop->load()) {
    // One row per claim: only the row in flight is ever in doubt after a crash. The lease runs
    // from the real time of the claim.
    auto lease_s = options_.claim_lease_s + static_cast<int>(core::unix_now() - began);
    auto claimed = mail_.claim_due(began, 1, lease_s);
    if (!claimed) return fail(claimed.error());
    if (claimed->empty()) break;
    const store::OutboxItem& item = claimed->front();
    std::int64_t now = core::unix_now();
    std::string skip_reason;
    auto message = compose(item, now, skip_reason);
    if (!message) {
      // The store or the digest source failed: not the address's fault, so retry later.
      spdlog::error("mail: composing {} for subscription {}: {}", item.issue_key, item.subscription_id,
                    message.error().to_string());
      if (Status s = mail_.mark_retry(item.id, now + static_cast<std::int64_t>(options_.backoff_s),
                                      message.error().to_string());
          !s.is_ok()) {
        return fail(s);
      }
      ++summary.retrying;
      continue;
    }
    if (!*message) {
      if (Status s = mail_.mark_skipped(item.id, skip_reason); !s.is_ok()) return fail(s);
      ++summary.skipped;
      continue;
    }
    std::string data = render_message(**message);
    wait_for_rate_limit();
    SendResult r = sender_->send(bare_address((*message)->from), item.subscription.email, data);
    now = core::unix_now();
    Status s;
    if (r.outcome == SendOutcome::kSent) {
      s = mail_.mark_sent(item.id, now);
      ++summary.sent;
    } else if (r.outcome == SendOutcome::kPermanent || item.attempts >= options_.max_attempts) {
      spdlog::warn("mail: {} to {} failed for good: {}", item.issue_key, item.subscription.email, r.detail);
      s = mail_.mark_failed(item.id, r.detail, options_.pause_after_failures);
      ++summary.failed;
    } else {
      double wait = std::min(21600.0, options_.backoff_s * std::pow(2.0, std::max(0, item.attempts - 1)));
      spdlog::info("mail: {} to {} will be retried in {:.0f} s: {}", item.issue_key, item.subscription.email, wait,
                   r.detail);
      s = mail_.mark_retry(item.id, now + static_cast<std::int64_t>(std::ceil(wait)), r.detail);
      ++summary.retrying;
    }
    if (!s.is_ok()) return fail(s);
  }
  return summary;
}

DigestScheduler::DigestScheduler(DigestOutbox& outbox, int send_at_minute, double poll_s, store::JobLease* lease)
    : outbox_(outbox), send_at_minute_(send_at_minute), poll_s_(poll_s), lease_(lease) {}

DigestScheduler::~DigestScheduler() {
  stop();
}

void DigestScheduler::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void DigestScheduler::stop() {
  stopping_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DigestScheduler::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

nlohmann::json DigestScheduler::status_json() const {
  std::lock_guard lock(mu_);
  return {{"digest",
           {{"passes", passes_},
            {"sent", sent_},
            {"failed", failed_},
            {"last_error", last_error_},
            {"leader", is_leader_},
            {"standby_passes", standby_passes_}}}};
}

void DigestScheduler::pass() {
  if (lease_ != nullptr) {
    auto held = lease_->refresh();
    if (!held) spdlog::warn("digest scheduler: {}", held.error().to_string());
    bool leads = held && *held;
    std::lock_guard lock(mu_);
    if (leads != is_leader_) {
      spdlog::info(leads ? "digest scheduler: this instance now sends the digests"
                         : "digest scheduler: another instance sends the digests");
    }
    is_leader_ = leads;
    if (!leads) {
      ++standby_passes_;
      return;
    }
  }
  std::int64_t now = core::unix_now();
  std::int64_t minute = (now % 86400) / 60;
  std::int64_t weekday = ((now / 86400 + 3) % 7);  // Monday = 0
  std::string error;
  if (send_at_minute_ >= 0 && minute >= send_at_minute_) {
    if (auto n = outbox_.enqueue("daily", now); !n) error = n.error().to_string();
  }
  // Weekly issues are keyed by ISO week: queued on the first pass on or after Monday's send time.
  if (send_at_minute_ >= 0 && (weekday > 0 || minute >= send_at_minute_)) {
    if (auto n = outbox_.enqueue("weekly", now); !n) error = n.error().to_string();
  }
  auto summary = outbox_.drain(&stopping_);
  std::lock_guard lock(mu_);
  ++passes_;
  if (summary) {
    sent_ += summary->sent;
    failed_ += summary->failed;
  } else {
    error = summary.error().to_string();
  }
  if (!error.empty()) spdlog::error("digest scheduler: {}", error);
  last_error_ = error;
}

void DigestScheduler::run() {
  while (!stopping_) {
    Status s = core::guard_job("digest scheduler", [this] {
      pass();
      return Status::ok();
    });
    if (!s.is_ok()) {
      spdlog::error("{}", s.to_string());
      std::lock_guard lock(mu_);
      last_error_ = s.to_string();
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::duration<double>(poll_s_), [this] { return woken_ || stopping_.load(); });
    woken_ = false;
  }
}

}  // namespace paperboy::mail
