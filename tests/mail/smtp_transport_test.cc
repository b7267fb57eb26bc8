// SmtpSender against a real TLS-capable SMTP server (aiosmtpd, tests/support/smtp_sink.py) with a
// certificate this test makes with openssl: STARTTLS required by the server, smtps (implicit TLS),
// AUTH with right and wrong credentials, a certificate nobody vouched for, a server that accepts
// and never answers (the transaction timeout), and the digest send rate limit.
#include <gtest/gtest.h>

#include <chrono>

#include "mail/smtp_sender.h"
#include "mail_test_support.h"

namespace paperboy {
namespace {

using mailtest::SmtpSink;
using testing::Process;
using testing::TempDir;

constexpr char kMessage[] =
    "From: <paperboy@example.org>\r\nTo: <ada@example.org>\r\nSubject: hello\r\n"
    "Message-ID: <t.1@example.org>\r\n\r\nA line.\r\n";

class SmtpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A self-signed certificate for 127.0.0.1, which is then the only CA the client trusts.
    Process openssl({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key(), "-out",
                     cert(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                    {});
    (void)openssl.read_all();
    ASSERT_EQ(openssl.wait(), 0) << "openssl could not make a certificate";
  }
  std::string cert() const { return certs_.file("cert.pem"); }
  std::string key() const { return certs_.file("key.pem"); }

  mail::SendResult send(const std::string& url, mail::SmtpOptions options = {}) {
    options.url = url;
    auto sender = mail::SmtpSender::make(options);
    EXPECT_TRUE(sender) << sender.error().to_string();
    if (!sender) return {mail::SendOutcome::kPermanent, "no sender"};
    return (*sender)->send("paperboy@example.org", "ada@example.org", kMessage);
  }

  TempDir certs_, sink_dir_;
};

TEST_F(SmtpTransportTest, StartTlsRequiredByTheServerIsUsedAndTheMailArrives) {
  SmtpSink sink(sink_dir_.path(), 0, {"--starttls", cert(), key()});
  ASSERT_GT(sink.port(), 0);
  auto r = send(sink.url() + "?starttls=required", {.ca_file = cert()});
  ASSERT_EQ(r.outcome, mail::SendOutcome::kSent) << r.detail;
  ASSERT_EQ(sink.messages().size(), 1u);
  EXPECT_EQ(sink.messages()[0].header("Subject"), "hello");
  EXPECT_EQ(sink.sessions(), std::vector<std::string>{"tls=1 auth=-"});
  // The default (starttls=try) also upgrades when the server offers it.
  r = send(sink.url(), {.ca_file = cert()});
  ASSERT_EQ(r.outcome, mail::SendOutcome::kSent) << r.detail;
  EXPECT_EQ(sink.sessions().back(), "tls=1 auth=-");
  // With STARTTLS turned off the server (which requires it) refuses the mail: nothing in clear.
  r = send(sink.url() + "?starttls=off", {.ca_file = cert()});
  EXPECT_NE(r.outcome, mail::SendOutcome::kSent);
  EXPECT_EQ(sink.messages().size(), 2u);
}

TEST_F(SmtpTransportTest, ImplicitTlsSmtps) {
  SmtpSink sink(sink_dir_.path(), 0, {"--tls", cert(), key()});
  ASSERT_GT(sink.port(), 0);
  auto r = send(sink.url("smtps"), {.ca_file = cert()});
  ASSERT_EQ(r.outcome, mail::SendOutcome::kSent) << r.detail;
  EXPECT_EQ(sink.sessions(), std::vector<std::string>{"tls=1 auth=-"});
  // Plain SMTP to a TLS port gets no SMTP greeting: a temporary failure, within the timeout.
  r = send(sink.url(), {.timeout_s = 3, .connect_timeout_s = 3});
  EXPECT_EQ(r.outcome, mail::SendOutcome::kTemporary) << r.detail;
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(SmtpTransportTest, CertificateNobodyVouchedForIsRefused) {
  SmtpSink sink(sink_dir_.path(), 0, {"--tls", cert(), key()});
  ASSERT_GT(sink.port(), 0);
  auto r = send(sink.url("smtps"));  // the system CAs do not know this certificate
  EXPECT_EQ(r.outcome, mail::SendOutcome::kTemporary) << r.detail;
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(SmtpTransportTest, StartTlsRequiredByUsFailsAgainstAServerWithoutIt) {
  SmtpSink sink(sink_dir_.path());
  ASSERT_GT(sink.port(), 0);
  auto r = send(sink.url() + "?starttls=required", {.ca_file = cert()});
  EXPECT_EQ(r.outcome, mail::SendOutcome::kTemporary) << r.detail;
  EXPECT_TRUE(sink.messages().empty());
  // starttls=try falls back to plain SMTP when the server offers nothing.
  r = send(sink.url(), {.ca_file = cert()});
  ASSERT_EQ(r.outcome, mail::SendOutcome::kSent) << r.detail;
  EXPECT_EQ(sink.sessions(), std::vector<std::string>{"tls=0 auth=-"});
}

TEST_F(SmtpTransportTest, AuthWithRightAndWrongCredentials) {
  SmtpSink sink(sink_dir_.path(), 0, {"--starttls", cert(), key(), "--auth", "mailer:s3cret"});
  ASSERT_GT(sink.port(), 0);
  // Credentials in the options.
  auto r = send(sink.url() + "?starttls=required", {.user = "mailer", .password = "s3cret", .ca_file = cert()});
  ASSERT_EQ(r.outcome, mail::SendOutcome::kSent) << r.detail;
  EXPECT_EQ(sink.sessions(), std::vector<std::string>{"tls=1 auth=mailer"});
  // Credentials in the URL.
  r = send("smtp://mailer:s3cret@127.0.0.1:" + std::to_string(sink.port()) + "?starttls=required", {.ca_file = cert()});
  ASSERT_EQ(r.outcome, mail::SendOutcome::kSent) << r.detail;
  // A wrong password is our configuration, not the recipient's fault: temporary, never sent.
  r = send(sink.url() + "?starttls=required", {.user = "mailer", .password = "wrong", .ca_file = cert()});
  EXPECT_EQ(r.outcome, mail::SendOutcome::kTemporary) << r.detail;
  // No credentials: the server wants AUTH before MAIL.
  r = send(sink.url() + "?starttls=required", {.ca_file = cert()});
  EXPECT_NE(r.outcome, mail::SendOutcome::kSent) << r.detail;
  EXPECT_EQ(sink.messages().size(), 2u);
}

TEST_F(SmtpTransportTest, AServerThatAcceptsAndNeverAnswersTimesOut) {
  SmtpSink sink(sink_dir_.path(), 0, {"--hang"});
  ASSERT_GT(sink.port(), 0);
  auto start = std::chrono::steady_clock::now();
  auto r = send(sink.url(), {.timeout_s = 1, .connect_timeout_s = 1});
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.outcome, mail::SendOutcome::kTemporary) << r.detail;
  EXPECT_NE(r.detail.find("imeout"), std::string::npos) << r.detail;
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 30);  // bounded by the timeout, not hanging (generous for a loaded machine)
}

// `digest send` spaces its mails by mail.rate_per_second: 6 mails at 5 a second take at least the
// five gaps of 0.2 s between them (a lower bound: a slow machine only makes it longer).
TEST_F(SmtpTransportTest, DigestSendKeepsTheMailRateLimit) {
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(mailtest::seed_confirmed_subscribers(dir.file("paperboy.db"), 6));
  SmtpSink sink(sink_dir_.path());
  auto start = std::chrono::steady_clock::now();
  Process p({testing::paperboy_binary(), "--data-dir", dir.path().string(), "digest", "send", "--smtp-url", sink.url(),
             "--public-url", "http://127.0.0.1:9"},
            {"PAPERBOY_MAIL_RATE_PER_SECOND=5", "PAPERBOY_LOG_LEVEL=warn"});
  std::string out = p.read_all();
  ASSERT_EQ(p.wait(), 0) << out;
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(out.find("sent 6 mails"), std::string::npos) << out;
  EXPECT_EQ(sink.messages().size(), 6u);
  EXPECT_GE(took, 1.0);
}

}  // namespace
}  // namespace paperboy
