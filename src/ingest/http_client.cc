#include "ingest/http_client.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <thread>

#include "core/text.h"
#include "core/time.h"

namespace paperboy::ingest {
namespace {

using Clock = std::chrono::steady_clock;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

// State of one transfer, shared with libcurl's callbacks.
struct Transfer {
  CURL* curl = nullptr;
  const BodySink* sink = nullptr;
  std::int64_t max_bytes = 0;
  std::int64_t received = 0;
  HttpResponse response;
  Status abort_reason;  // why a callback stopped the transfer
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  // A new status line starts a new response (redirects, 100-continue): forget older headers.
  if (line.starts_with("HTTP/")) t->response.retry_after_s.reset();
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = core::to_lower_ascii(line.substr(0, colon));
    std::string value = core::collapse_whitespace(line.substr(colon + 1));
    if (name == "retry-after") t->response.retry_after_s = parse_retry_after(value, core::unix_now());
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  t->received += static_cast<std::int64_t>(n);
  if (t->received > t->max_bytes) {
    t->abort_reason = Status::resource_exhausted("response larger than the limit of " +
                                                 std::to_string(t->max_bytes) + " bytes");
    return 0;
  }
  long code = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
  if (t->sink != nullptr && *t->sink && code >= 200 && code < 300) {
    if (Status s = (*t->sink)(std::string_view(data, n)); !s.is_ok()) {
      t->abort_reason = s;
      return 0;
    }
    return n;
  }
  t->response.body.append(data, n);
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel != nullptr && cancel->load() ? 1 : 0;  // non-zero aborts the transfer
}

long to_ms(double seconds) { return static_cast<long>(std::max(0.0, seconds) * 1000.0); }

}  // namespace

std::string make_user_agent(std::string_view contact) {
  std::string ua = "paperboy/0.1.0 (self-hosted research-paper discovery; libcurl";
  if (!contact.empty()) {
    ua += "; mailto:";
    ua += contact;
  }
  ua += ")";
  return ua;
}

struct HttpClient::Impl {
  std::mutex mu;  // one request at a time (held for the whole transfer)
  std::unique_ptr<CURL, CurlDeleter> curl;
  std::optional<Clock::time_point> last_end;
};

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  global_init_once();
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::get(const std::string& url, const BodySink& sink) {
  std::lock_guard lock(impl_->mu);
  if (impl_->last_end) {
    auto due = *impl_->last_end + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options_.min_interval_s));
    std::this_thread::sleep_until(due);
  }
  // One easy handle, reused, keeps one keep-alive connection to the server (politeness).
  if (!impl_->curl) {
    impl_->curl.reset(curl_easy_init());
    if (!impl_->curl) return fail(Status::internal("curl_easy_init failed"));
  }
  CURL* c = impl_->curl.get();
  curl_easy_reset(c);
  Transfer t;
  t.curl = c;
  t.sink = &sink;
  t.max_bytes = options_.max_body_bytes;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, to_ms(options_.timeout_s));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, to_ms(options_.connect_timeout_s));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, std::max(1L, static_cast<long>(options_.low_speed_timeout_s)));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body_bytes));
  curl_easy_setopt(c, CURLOPT_MAXCONNECTS, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  // gzip: what OAI-PMH servers commonly offer; cheap for the server, unlike brotli at high levels.
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  if (options_.cancel != nullptr) {
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, options_.cancel);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }
  // The proxy comes from http_proxy/https_proxy/no_proxy: libcurl's default, left untouched.

  CURLcode rc = curl_easy_perform(c);
  impl_->last_end = Clock::now();
  std::string where = "GET " + url;
  if (!t.abort_reason.is_ok()) return fail(t.abort_reason.with_context(where));
  if (rc == CURLE_FILESIZE_EXCEEDED) {
    return fail(Status::resource_exhausted(where + ": response larger than the limit of " +
                                           std::to_string(options_.max_body_bytes) + " bytes"));
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK) return fail(Status::cancelled(where + ": interrupted"));
  if (rc != CURLE_OK) return fail(Status::unavailable(where + ": " + curl_easy_strerror(rc)));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t.response.status);
  if (char* ct = nullptr; curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != nullptr) {
    t.response.content_type = ct;
  }
  if (char* eff = nullptr; curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff != nullptr) {
    t.response.effective_url = eff;
  }
  return std::move(t.response);
}

Status status_from_http(const HttpResponse& response, std::string_view url) {
  long code = response.status;
  if (code >= 200 && code < 300) return Status::ok();
  std::string msg = "GET " + std::string(url) + ": HTTP " + std::to_string(code);
  if (response.retry_after_s) msg += " (Retry-After " + std::to_string(static_cast<long>(*response.retry_after_s)) + " s)";
  if (code == 429 || code >= 500) return Status::unavailable(msg);
  if (code == 404) return Status::not_found(msg);
  if (code >= 400) return Status::invalid_argument(msg);
  return Status::io_error(msg);
}

std::optional<double> parse_retry_after(std::string_view value, std::int64_t now_unix) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && ptr == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return static_cast<double>(seconds);
  }
  // An HTTP-date is RFC 5322 date syntax in GMT (RFC 9110 §5.6.7).
  if (auto when = core::parse_rfc2822(value)) return static_cast<double>(std::max<std::int64_t>(0, *when - now_unix));
  return std::nullopt;
}

double RetryPolicy::backoff_s(int attempt) const {
  double wait = initial_backoff_s * std::pow(2.0, std::max(0, attempt - 1));
  return std::min(wait, max_backoff_s);
}

bool sleep_unless_stopped(double seconds, const std::atomic<bool>* stop) {
  auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < until) {
    if (stop != nullptr && stop->load()) return false;
    auto step = std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(100));
    std::this_thread::sleep_for(step);
  }
  return stop == nullptr || !stop->load();
}

Status run_with_retries(const RetryPolicy& policy, std::string_view what,
                        const std::function<TryOutcome(int attempt)>& attempt, const std::atomic<bool>* stop,
                        int* retries) {
  for (int n = 1;; ++n) {
    if (stop != nullptr && stop->load()) return Status::cancelled(std::string(what) + ": interrupted");
    TryOutcome outcome = attempt(n);
    if (outcome.status.is_ok()) return outcome.status;
    StatusCode code = outcome.status.code();
    bool retryable = code == StatusCode::kUnavailable || code == StatusCode::kIoError;
    if (!retryable) return outcome.status;
    if (n >= policy.max_attempts) {
      return outcome.status.with_context(std::string(what) + ": giving up after " + std::to_string(n) + " tries");
    }
    double wait = policy.backoff_s(n);
    if (outcome.retry_after_s) {
      if (*outcome.retry_after_s > policy.max_retry_after_s) {
        return outcome.status.with_context(std::string(what) + ": server asked to wait " +
                                           std::to_string(static_cast<long>(*outcome.retry_after_s)) +
                                           " s, more than the configured maximum; giving up");
      }
      wait = *outcome.retry_after_s;
    }
    spdlog::warn("{}: {}; retry {} of {} in {:.1f} s", what, outcome.status.message(), n, policy.max_attempts - 1,
                 wait);
    if (retries != nullptr) ++*retries;
    if (!sleep_unless_stopped(wait, stop)) return Status::cancelled(std::string(what) + ": interrupted");
  }
}

std::string url_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : value) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

}  // namespace paperboy::ingest
