// MailMessage and its RFC 5322 / MIME rendering: a multipart/alternative message with a UTF-8
// plain-text part and an HTML part, both quoted-printable, headers with RFC 2047 encoded words for
// non-ASCII text. Used by the digest outbox for confirmation and digest mails. Written by hand
// because Debian has no small C++ MIME composer; the subset we need is short and tested.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paperboy::mail {

struct MailMessage {
  std::string from;        // "Paperboy <digest@example.org>" or a bare address
  std::string to;          // a bare address
  std::string subject;     // UTF-8
  std::string message_id;  // without angle brackets: "daily.2026-11-28.7@example.org"
  std::int64_t date = 0;   // Unix seconds
  std::vector<std::pair<std::string, std::string>> extra_headers;  // List-Unsubscribe, ...
  std::string text;                                                // UTF-8 plain text
  std::string html;                                                // UTF-8 HTML document
};

// The whole message, CRLF line endings, ready for SMTP DATA.
[[nodiscard]] std::string render_message(const MailMessage& message);

// RFC 2045 §6.7 quoted-printable with CRLF line breaks and lines of at most 76 characters.
[[nodiscard]] std::string encode_quoted_printable(std::string_view text);
// RFC 2047 "=?UTF-8?B?...?=" words when `text` is not plain printable ASCII; else `text`.
[[nodiscard]] std::string encode_header_text(std::string_view text);
// RFC 5322 §3.3 date: "Sat, 28 Nov 2026 15:00:00 +0000".
[[nodiscard]] std::string format_mail_date(std::int64_t unix_seconds);

// The bare address of "Name <addr>" or "addr".
[[nodiscard]] std::string bare_address(std::string_view mailbox);
// A plausible address: one '@', non-empty local part and dotted domain, no spaces, controls or
// angle brackets, at most 254 characters. Not full RFC 5321 (nobody needs quoted local parts here).
[[nodiscard]] bool is_valid_address(std::string_view address);

}  // namespace paperboy::mail
