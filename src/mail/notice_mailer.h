// NoticeMailer: one-off account mails (password reset links) sent in the background through the
// digest's MailSender, so a web request never waits on SMTP and its timing does not reveal whether
// an address has an account. A bounded in-memory queue with a few retries: a notice lost to a
// crash is asked for again by its reader (unlike digests, which the durable outbox guarantees).
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "mail/smtp_sender.h"

namespace paperboy::mail {

struct NoticeOptions {
  std::string from;  // the From mailbox
  std::string message_id_domain = "localhost";
  int max_queued = 1000;    // further notices are dropped (logged) until the queue drains
  int max_attempts = 3;     // temporary failures retried with this many attempts in all
  double retry_wait_s = 5;  // between attempts
};

class NoticeMailer {
 public:
  // `sender` must outlive the mailer.
  NoticeMailer(MailSender& sender, NoticeOptions options);
  ~NoticeMailer();  // sends nothing more; waits for the mail in flight
  NoticeMailer(const NoticeMailer&) = delete;
  NoticeMailer& operator=(const NoticeMailer&) = delete;

  // Queues a plain-text notice; false when the queue is full or `to` is not a valid address.
  bool send(const std::string& to, const std::string& subject, const std::string& text);

  // Waits until the queue is empty (tests).
  void drain();

 private:
  struct Notice {
    std::string to, subject, text;
  };
  void run();
  // Renders and sends one notice, retrying temporary failures; runs under core::guard_job.
  Status deliver(const Notice& notice, std::uint64_t sequence);

  MailSender& sender_;
  NoticeOptions options_;
  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::deque<Notice> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace paperboy::mail
