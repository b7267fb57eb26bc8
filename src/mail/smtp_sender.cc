#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace paperboy::mail {
namespace {

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t read_body(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  size_t n = std::min(size * nitems, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, n);
  up->offset += n;
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

Result<std::unique_ptr<SmtpSender>> SmtpSender::make(SmtpOptions options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::string url = options.url;
  Tls tls = Tls::kTry;
  if (url.starts_with("smtps://")) {
    tls = Tls::kImplicit;
  } else if (!url.starts_with("smtp://")) {
    return fail(Status::invalid_argument("mail.smtp_url must start with smtp:// or smtps://: '" + url + "'"));
  }
  if (size_t q = url.find('?'); q != std::string::npos) {
    std::string query = url.substr(q + 1);
    url.resize(q);
    if (query == "starttls=required") {
      tls = Tls::kRequired;
    } else if (query == "starttls=off") {
      tls = Tls::kOff;
    } else if (query != "starttls=try") {
      return fail(Status::invalid_argument("mail.smtp_url: unknown option '" + query +
                                           "' (use starttls=try, starttls=required or starttls=off)"));
    }
    if (tls != Tls::kTry && options.url.starts_with("smtps://")) {
      return fail(Status::invalid_argument("mail.smtp_url: smtps:// is always TLS; drop the starttls option"));
    }
  }
  return std::unique_ptr<SmtpSender>(new SmtpSender(std::move(options), std::move(url), tls));
}

SendResult SmtpSender::send(std::string_view from, std::string_view to, std::string_view data) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return {SendOutcome::kTemporary, "curl_easy_init failed"};
  std::string from_s(from), to_s(to);
  std::unique_ptr<curl_slist, SlistDeleter> rcpt(curl_slist_append(nullptr, to_s.c_str()));
  Upload upload{data, 0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_s.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_s * 1000));
  long use_ssl = tls_ == Tls::kRequired ? CURLUSESSL_ALL : tls_ == Tls::kOff ? CURLUSESSL_NONE : CURLUSESSL_TRY;
  if (tls_ != Tls::kImplicit) curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return {SendOutcome::kSent, ""};
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string detail = std::string(curl_easy_strerror(rc)) + (errbuf[0] != '\0' ? std::string(": ") + errbuf : "");
  if (code > 0) detail = "SMTP " + std::to_string(code) + ": " + detail;
  // Refused logins and TLS failures are our configuration, not the recipient: retry later rather
  // than count a bounce against the address. RFC 5321 §4.2.1: 4yz transient, 5yz permanent.
  if (rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED) return {SendOutcome::kTemporary, detail};
  if (code >= 500 && code < 600) return {SendOutcome::kPermanent, detail};
  return {SendOutcome::kTemporary, detail};
}

}  // namespace paperboy::mail
