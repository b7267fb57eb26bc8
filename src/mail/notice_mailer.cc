#include "mail/notice_mailer.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <chrono>
#include <kainjow/mustache.hpp>

#include "core/job_guard.h"
#include "core/time.h"
#include "mail/message.h"

namespace paperboy::mail {
namespace {

// Each paragraph of the text becomes an HTML paragraph, escaped by mustache.
constexpr const char* kNoticeHtml =
    "<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5\">"
    "{{#paragraphs}}<p>{{.}}</p>{{/paragraphs}}</body></html>";

std::string notice_html(const std::string& text) {
  kainjow::mustache::data paragraphs(kainjow::mustache::data::type::list);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) paragraphs.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  kainjow::mustache::mustache tmpl{kNoticeHtml};
  kainjow::mustache::data data;
  data.set("paragraphs", paragraphs);
  return tmpl.render(data);
}

}  // namespace

NoticeMailer::NoticeMailer(MailSender& sender, NoticeOptions options)
    : sender_(sender), options_(std::move(options)), thread_([this] { run(); }) {}

NoticeMailer::~NoticeMailer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool NoticeMailer::send(const std::string& to, const std::string& subject, const std::string& text) {
  if (!is_valid_address(to)) return false;
  {
    std::lock_guard lock(mu_);
    if (stopping_ || static_cast<int>(queue_.size()) >= options_.max_queued) {
      spdlog::warn("notice mail to {} dropped: queue full", to);
      return false;
    }
    queue_.push_back({to, subject, text});
  }
  wake_.notify_one();
  return true;
}

void NoticeMailer::drain() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return (queue_.empty() && !busy_) || stopping_; });
}

void NoticeMailer::run() {
  std::unique_lock lock(mu_);
  std::uint64_t sequence = 0;
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) break;
    Notice notice = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Status sent = core::guard_job("notice mail to " + notice.to, [&] { return deliver(notice, ++sequence); });
    if (!sent.is_ok()) spdlog::error("{}", sent.to_string());
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  busy_ = false;
  idle_.notify_all();
}

Status NoticeMailer::deliver(const Notice& notice, std::uint64_t sequence) {
  MailMessage message;
  message.from = options_.from;
  message.to = notice.to;
  message.subject = notice.subject;
  message.date = core::unix_now();
  message.message_id = "notice." + std::to_string(message.date) + "." + std::to_string(sequence) + "." +
                       std::to_string(::getpid()) + "@" + options_.message_id_domain;
  message.text = notice.text;
  message.html = notice_html(notice.text);
  std::string data = render_message(message);
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    SendResult result = sender_.send(bare_address(options_.from), notice.to, data);
    if (result.outcome == SendOutcome::kSent) break;
    spdlog::warn("notice mail to {} failed (attempt {}): {}", notice.to, attempt, result.detail);
    if (result.outcome == SendOutcome::kPermanent || attempt == options_.max_attempts) break;
    std::unique_lock wait(mu_);
    if (wake_.wait_for(wait, std::chrono::duration<double>(options_.retry_wait_s), [this] { return stopping_; })) {
      break;
    }
  }
  return Status::ok();
}

}  // namespace paperboy::mail
