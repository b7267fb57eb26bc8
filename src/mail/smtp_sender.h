// MailSender: hands one finished message to a mail transport and says whether it went, may be
// retried, or failed for good. SmtpSender delivers over SMTP with libcurl: smtp:// (STARTTLS when
// offered; "?starttls=required" makes it mandatory, "?starttls=off" disables it) or smtps://
// (implicit TLS), credentials in the URL (smtp://user:pass@host) or in the options.
// SmtpSender is thread-safe (each send uses its own curl handle).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::mail {

enum class SendOutcome {
  kSent,       // the server accepted the message (250 after DATA)
  kTemporary,  // 4xx, connection refused/dropped, timeout: try again later
  kPermanent,  // 5xx for this recipient or message: do not retry
};

struct SendResult {
  SendOutcome outcome = SendOutcome::kSent;
  std::string detail;  // the server's reply or the transport error, for the outbox's last_error
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // `data`: the whole RFC 5322 message with CRLF line endings.
  virtual SendResult send(std::string_view from, std::string_view to, std::string_view data) = 0;
};

struct SmtpOptions {
  std::string url;   // smtp://host:port[?starttls=try|required|off] or smtps://host:port
  std::string user;  // overrides credentials in the URL when set
  std::string password;
  double timeout_s = 60;  // one whole SMTP transaction
  double connect_timeout_s = 10;
  std::string ca_file;  // PEM file of CAs to trust instead of the system's (a private CA; tests)
};

class SmtpSender final : public MailSender {
 public:
  // Checks the URL (scheme, starttls option); does not connect.
  static Result<std::unique_ptr<SmtpSender>> make(SmtpOptions options);
  SendResult send(std::string_view from, std::string_view to, std::string_view data) override;

 private:
  enum class Tls { kTry, kRequired, kOff, kImplicit };
  SmtpSender(SmtpOptions options, std::string url, Tls tls)
      : options_(std::move(options)), url_(std::move(url)), tls_(tls) {}
  SmtpOptions options_;
  std::string url_;  // without our query options
  Tls tls_;
};

}  // namespace paperboy::mail
