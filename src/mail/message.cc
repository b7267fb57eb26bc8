#include "mail/message.h"

#include <array>

#include "core/time.h"

namespace paperboy::mail {
namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";

std::string base64(std::string_view in) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool is_plain_header_text(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return text.find("=?") == std::string_view::npos;
}

// FNV-1a: a stable boundary derived from the Message-ID, so a resent message is byte-identical.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string header_value(std::string_view value) {
  // Header injection: a CR or LF in a value would start a new header.
  std::string out;
  for (char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

}  // namespace

std::string encode_quoted_printable(std::string_view text) {
  std::string out;
  std::string line;
  auto flush_line = [&](bool hard_break) {
    // Trailing whitespace before a hard break must be encoded (§6.7 rule 3).
    if (hard_break && !line.empty() && (line.back() == ' ' || line.back() == '\t')) {
      char c = line.back();
      line.pop_back();
      std::string enc = "=" + std::string(1, kHex[static_cast<unsigned char>(c) >> 4]) + kHex[c & 15];
      if (line.size() + enc.size() > 76) {
        out += line + "=\r\n";
        line.clear();
      }
      line += enc;
    }
    out += line;
    out += hard_break ? "\r\n" : "=\r\n";
    line.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      flush_line(true);
      continue;
    }
    std::string enc;
    if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      enc = std::string(1, static_cast<char>(c));
    } else {
      enc = {'=', kHex[c >> 4], kHex[c & 15]};
    }
    if (line.size() + enc.size() > 75) flush_line(false);  // 75 + "=" soft break = 76
    line += enc;
  }
  if (!line.empty()) flush_line(true);
  return out;
}

std::string encode_header_text(std::string_view text) {
  if (is_plain_header_text(text)) return std::string(text);
  // RFC 2047 §2: encoded words at most 75 characters; split on UTF-8 character boundaries.
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = std::min(text.size(), pos + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string format_mail_date(std::int64_t unix_seconds) {
  std::string s = core::format_rfc2822(unix_seconds);  // "..., HH:MM:SS GMT"
  if (s.ends_with(" GMT")) s.replace(s.size() - 3, 3, "+0000");
  return s;
}

std::string bare_address(std::string_view mailbox) {
  size_t lt = mailbox.rfind('<');
  size_t gt = mailbox.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(mailbox.substr(lt + 1, gt - lt - 1));
  }
  return std::string(mailbox);
}

bool is_valid_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  size_t at = a.find('@');
  if (at == 0 || at == std::string_view::npos || a.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = a.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return false;
  }
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')' ||
        c == '\\') {
      return false;
    }
  }
  return true;
}

std::string render_message(const MailMessage& m) {
  std::array<char, 17> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(fnv1a(m.message_id)));
  std::string boundary = "=_pb_" + std::string(hex.data());  // "=_" never occurs in quoted-printable
  std::string out;
  auto header = [&](std::string_view name, std::string_view value) {
    out += std::string(name) + ": " + header_value(value) + "\r\n";
  };
  header("Date", format_mail_date(m.date));
  header("From", m.from);
  header("To", m.to);
  out += "Subject: " + encode_header_text(header_value(m.subject)) + "\r\n";
  header("Message-ID", "<" + m.message_id + ">");
  header("MIME-Version", "1.0");
  for (const auto& [name, value] : m.extra_headers) header(name, value);
  header("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += encode_quoted_printable(m.text);
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += encode_quoted_printable(m.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace paperboy::mail
