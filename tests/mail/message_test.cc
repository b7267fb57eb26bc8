// MIME rendering: quoted-printable (table-driven), encoded header words, and a whole message.
#include <gtest/gtest.h>

#include "mail/message.h"
#include "mail_test_support.h"

namespace paperboy::mail {
namespace {

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
  EXPECT_EQ(raw.find("\n", 0), raw.find("\r\n", 0) + 1);  // CRLF line ends
}

}  // namespace
}  // namespace paperboy::mail
