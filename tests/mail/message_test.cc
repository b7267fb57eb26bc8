// MIME rendering: quoted-printable (table-driven), encoded header words, and a whole message.
#include <gtest/gtest.h>

#include "mail/message.h"
#include "mail_test_support.h"

namespace paperboy::mail {
namespace {

// The text of RFC 2047 "=?UTF-8?B?...?=" words (whitespace between words dropped), other text as is.
std::string decode_encoded_words(const std::string& in) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t pos = 0;
  bool last_was_word = false;
  while (pos < in.size()) {
    size_t start = in.find("=?UTF-8?B?", pos);
    std::string between = in.substr(pos, start == std::string::npos ? std::string::npos : start - pos);
    if (!(last_was_word && start != std::string::npos && between.find_first_not_of(" \t\r\n") == std::string::npos)) {
      out += between;
    }
    if (start == std::string::npos) break;
    size_t end = in.find("?=", start + 10);
    if (end == std::string::npos) return out + "<unterminated>";
    std::string b64 = in.substr(start + 10, end - start - 10);
    unsigned bits = 0;
    int nbits = 0;
    for (char ch : b64) {
      if (ch == '=') break;
      size_t v = kAlphabet.find(ch);
      if (v == std::string::npos) return out + "<bad base64>";
      bits = (bits << 6) | static_cast<unsigned>(v);
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        out += static_cast<char>((bits >> nbits) & 0xFF);
      }
    }
    pos = end + 2;
    last_was_word = true;
  }
  return out;
}

TEST(QuotedPrintable, EncodesAsRfc2045Says) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"plain text", "plain text\r\n"},
      {"a=b", "a=3Db\r\n"},
      {"caf\xC3\xA9", "caf=C3=A9\r\n"},
      {"line one\nline two", "line one\r\nline two\r\n"},
      {"crlf\r\nkept", "crlf\r\nkept\r\n"},
      {"trailing space \nx", "trailing space=20\r\nx\r\n"},
      {std::string(80, 'a'), std::string(75, 'a') + "=\r\n" + std::string(5, 'a') + "\r\n"},
  };
  for (const auto& c : cases) EXPECT_EQ(encode_quoted_printable(c.in), c.out) << c.in;
}

TEST(QuotedPrintable, LinesNeverExceed76AndDecodeBack) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "Ünïcode = wörds and https://example.org/a/very/long/path?token=abcdef.123 ";
  std::string enc = encode_quoted_printable(text);
  size_t start = 0;
  while (start < enc.size()) {
    size_t end = enc.find("\r\n", start);
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(mailtest::decode_quoted_printable(enc), text + "\r\n");
}

TEST(HeaderText, EncodesNonAsciiAsUtf8Words) {
  EXPECT_EQ(encode_header_text("Paperboy digest"), "Paperboy digest");
  std::string enc = encode_header_text("Résumé of papers");
  EXPECT_TRUE(enc.starts_with("=?UTF-8?B?")) << enc;
  EXPECT_TRUE(enc.ends_with("?=")) << enc;
  EXPECT_EQ(decode_encoded_words(enc), "Résumé of papers") << enc;
  // A long subject is split into several words, which decode back to the same text.
  std::string long_subject;
  for (int i = 0; i < 12; ++i) long_subject += "Übersicht über Ünïcode ";
  std::string long_enc = encode_header_text(long_subject);
  EXPECT_EQ(decode_encoded_words(long_enc), long_subject) << long_enc;
  // Folded into lines of encoded words of at most 75 characters (RFC 2047 §2).
  for (size_t at = 0; at < long_enc.size();) {
    size_t end = long_enc.find("\r\n ", at);
    std::string word = long_enc.substr(at, end == std::string::npos ? std::string::npos : end - at);
    EXPECT_LE(word.size(), 75u) << word;
    at = end == std::string::npos ? long_enc.size() : end + 3;
  }
}

TEST(MailAddress, AcceptsPlainAddressesAndRejectsInjection) {
  EXPECT_TRUE(is_valid_address("ada@example.org"));
  EXPECT_TRUE(is_valid_address("a.b+tag@sub.example.co.uk"));
  for (const char* bad : {"", "ada", "@example.org", "ada@", "ada@example", "a b@example.org",
                          "ada@example.org\r\nBcc: x@y.z", "a@b@example.org", "<ada@example.org>"}) {
    EXPECT_FALSE(is_valid_address(bad)) << bad;
  }
  EXPECT_EQ(bare_address("Paperboy <digest@example.org>"), "digest@example.org");
}

TEST(RenderMessage, WritesHeadersAndBothPartsDeterministically) {
  MailMessage m;
  m.from = "Paperboy <digest@example.org>";
  m.to = "ada@example.org";
  m.subject = "Digest\r\nBcc: evil@example.org";
  m.message_id = "daily.2026-11-28.7@example.org";
  m.date = 1764342000;
  m.extra_headers = {{"List-Unsubscribe", "<https://example.org/unsubscribe?token=t>"}};
  m.text = "Hello = world";
  m.html = "<p>Hello</p>";
  std::string raw = render_message(m);
  EXPECT_EQ(raw, render_message(m));  // a resend is byte-identical
  auto parsed = mailtest::parse_mail(raw);
  EXPECT_EQ(parsed.header("Message-ID"), "<daily.2026-11-28.7@example.org>");
  EXPECT_EQ(parsed.header("Date"), "Fri, 28 Nov 2025 15:00:00 +0000");
  EXPECT_EQ(parsed.header("MIME-Version"), "1.0");
  EXPECT_EQ(parsed.headers.count("Bcc"), 0u);  // no header injection through the subject
  EXPECT_NE(parsed.header("Content-Type").find("multipart/alternative"), std::string::npos);
  EXPECT_EQ(parsed.text, "Hello = world\r\n");
  EXPECT_EQ(parsed.html, "<p>Hello</p>\r\n");
  // Every line ends in CRLF: no bare LF and no bare CR anywhere.
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      EXPECT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
    }
    if (raw[i] == '\r') {
      EXPECT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at " << i;
    }
  }
}

}  // namespace
}  // namespace paperboy::mail
