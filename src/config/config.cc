#include "config/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace paperboy::config {
namespace {

Status parse_into(std::string_view text, std::string& out) {
  out = std::string(text);
  return Status::ok();
}

Status parse_into(std::string_view text, int& out) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Status::invalid_argument("expected an integer, got '" + std::string(text) + "'");
  }
  out = v;
  return Status::ok();
}

Status parse_into(std::string_view text, double& out) {
  try {
    size_t used = 0;
    double v = std::stod(std::string(text), &used);
    if (used != text.size()) throw std::invalid_argument("trailing");
    out = v;
    return Status::ok();
  } catch (const std::exception&) {
    return Status::invalid_argument("expected a number, got '" + std::string(text) + "'");
  }
}

Status parse_into(std::string_view text, bool& out) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") {
    out = true;
  } else if (text == "false" || text == "0" || text == "no" || text == "off") {
    out = false;
  } else {
    return Status::invalid_argument("expected true or false, got '" + std::string(text) + "'");
  }
  return Status::ok();
}

template <typename T>
std::string type_name() {
  if constexpr (std::is_same_v<T, int>) return "int";
  if constexpr (std::is_same_v<T, bool>) return "bool";
  if constexpr (std::is_same_v<T, double>) return "double";
  return "string";
}

template <typename T>
std::string to_text(const T& v) {
  if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
  if constexpr (std::is_same_v<T, std::string>) return v;
  if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, std::string>) return std::to_string(v);
}

std::string env_name(std::string_view key) {
  std::string env = "PAPERBOY_";
  for (char c : key) env += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

// A number as a person writes it: 65535, 0.01, 1e+09.
std::string number_text(double v) {
  char text[64];
  if (v == static_cast<double>(static_cast<long long>(v)) && v > -1e15 && v < 1e15) {
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(text, sizeof text, "%g", v);
  }
  return text;
}

// What a row accepts beyond its type: a range for numbers, a list for strings.
struct Allowed {
  std::optional<double> min, max;
  std::vector<std::string> choices;
};
Allowed at_least(double lo) {
  return {lo, std::nullopt, {}};
}
Allowed between(double lo, double hi) {
  return {lo, hi, {}};
}
Allowed one_of(std::vector<std::string> choices) {
  return {std::nullopt, std::nullopt, std::move(choices)};
}

// `field` returns a reference to the member inside a Config.
template <typename Field>
OptionSpec option(std::string key, std::string help, Field field, Allowed allowed = {}) {
  using T = std::remove_reference_t<decltype(field(std::declval<Config&>()))>;
  OptionSpec spec;
  spec.env = env_name(key);
  spec.key = std::move(key);
  spec.help = std::move(help);
  spec.type = type_name<T>();
  spec.min = allowed.min;
  spec.max = allowed.max;
  spec.choices = std::move(allowed.choices);
  // The row checks its own value, so a setting is refused in every layer (file, environment,
  // flag) with what it allows, before any part sees it.
  spec.set = [field, row = spec](Config& c, std::string_view text) -> Status {
    T value{};
    PB_RETURN_IF_ERROR(parse_into(text, value));
    if constexpr (std::is_same_v<T, int> || std::is_same_v<T, double>) {
      auto v = static_cast<double>(value);
      if ((row.min && !(v >= *row.min)) || (row.max && !(v <= *row.max))) {
        return Status::invalid_argument("must be " + row.allowed() + ", got " + number_text(v));
      }
    }
    if constexpr (std::is_same_v<T, std::string>) {
      if (!row.choices.empty() && std::ranges::find(row.choices, value) == row.choices.end()) {
        return Status::invalid_argument("must be " + row.allowed() + ", got '" + value + "'");
      }
    }
    field(c) = std::move(value);
    return Status::ok();
  };
  spec.get = [field](const Config& c) { return to_text(field(const_cast<Config&>(c))); };
  return spec;
}

std::vector<OptionSpec> build_table() {
  std::vector<OptionSpec> t;
  t.push_back(option("data_dir", "directory for the database, indexes and state",
                     [](Config& c) -> std::string& { return c.data_dir; }));
  t.push_back(option("database", "store URL: sqlite:PATH or postgresql://...; default SQLite in data_dir",
                     [](Config& c) -> std::string& { return c.database; }));
  t.push_back(option(
      "log_level", "how much the log says", [](Config& c) -> std::string& { return c.log_level; },
      one_of({"trace", "debug", "info", "warn", "error", "critical", "off"})));
  t.push_back(option("server.host", "address to listen on", [](Config& c) -> std::string& { return c.server.host; }));
  t.push_back(option(
      "server.port", "port to listen on", [](Config& c) -> int& { return c.server.port; }, between(0, 65535)));
  t.push_back(option(
      "server.threads", "requests in handlers at once (worker threads)",
      [](Config& c) -> int& { return c.server.threads; }, between(1, 4096)));
  t.push_back(option("server.load_demo_data", "load the bundled demo papers when the database is empty",
                     [](Config& c) -> bool& { return c.server.load_demo_data; }));
  t.push_back(option("server.demo_data", "demo data file (default: demo-papers.jsonl.zst in server.assets_dir)",
                     [](Config& c) -> std::string& { return c.server.demo_data; }));
  t.push_back(option("server.assets_dir", "KaTeX and demo data (default: ../share/paperboy beside the binary)",
                     [](Config& c) -> std::string& { return c.server.assets_dir; }));
  t.push_back(option("metrics.enabled", "serve GET /metrics (Prometheus text format)",
                     [](Config& c) -> bool& { return c.metrics.enabled; }));
  t.push_back(option("metrics.listen",
                     "HOST:PORT where /metrics is served alone (e.g. 127.0.0.1:9464); empty: the main listener",
                     [](Config& c) -> std::string& { return c.metrics.listen; }));
  t.push_back(option("server.public_url", "absolute base URL for links in mails and feeds (https://papers.example.org)",
                     [](Config& c) -> std::string& { return c.server.public_url; }));
  t.push_back(option(
      "server.io_threads", "threads accepting, parsing and writing HTTP (connections are not bound to threads)",
      [](Config& c) -> int& { return c.server.io_threads; }, between(1, 256)));
  t.push_back(option(
      "server.max_queued", "requests waiting for a worker thread; beyond, 503 with Retry-After",
      [](Config& c) -> int& { return c.server.max_queued; }, at_least(1)));
  t.push_back(option(
      "server.max_target_bytes", "longest request target (path and query); longer: 414",
      [](Config& c) -> int& { return c.server.max_target_bytes; }, at_least(1)));
  t.push_back(option(
      "server.max_header_bytes", "all request header fields together; more: 431",
      [](Config& c) -> int& { return c.server.max_header_bytes; }, at_least(1)));
  t.push_back(option(
      "server.max_headers", "request header fields; more: 431", [](Config& c) -> int& { return c.server.max_headers; },
      at_least(1)));
  t.push_back(option(
      "server.max_body_bytes", "largest request body, Content-Length or chunked; larger: 413 and close",
      [](Config& c) -> int& { return c.server.max_body_bytes; }, at_least(1)));
  t.push_back(option(
      "server.read_timeout_ms", "time to send a whole request (headers and body); then 408 and close",
      [](Config& c) -> int& { return c.server.read_timeout_ms; }, at_least(1)));
  t.push_back(option(
      "server.idle_timeout_ms", "keep-alive connection waiting for its next request; then closed",
      [](Config& c) -> int& { return c.server.idle_timeout_ms; }, at_least(1)));
  t.push_back(option(
      "server.write_timeout_ms", "time for each write of a reply to a client that does not read; then closed",
      [](Config& c) -> int& { return c.server.write_timeout_ms; }, at_least(1)));
  t.push_back(option(
      "server.max_connections", "open connections in all; beyond, 503 and close",
      [](Config& c) -> int& { return c.server.max_connections; }, at_least(1)));
  t.push_back(option(
      "server.max_connections_per_address", "open connections per client address (trusted proxies exempt)",
      [](Config& c) -> int& { return c.server.max_connections_per_address; }, at_least(1)));
  t.push_back(option(
      "server.max_requests_per_connection", "requests on one keep-alive connection before it closes",
      [](Config& c) -> int& { return c.server.max_requests_per_connection; }, at_least(1)));
  t.push_back(option(
      "server.access_log", "access log lines: json, combined (as Apache and nginx write them) or off",
      [](Config& c) -> std::string& { return c.server.access_log; }, one_of({"json", "combined", "off"})));
  t.push_back(option("server.trusted_proxies",
                     "reverse proxies whose X-Forwarded-For/-Proto are believed: addresses or CIDRs, comma-separated",
                     [](Config& c) -> std::string& { return c.server.trusted_proxies; }));
  t.push_back(option("mail.smtp_url",
                     "SMTP server: smtp://HOST:PORT[?starttls=required|off] or smtps://; empty: no mail",
                     [](Config& c) -> std::string& { return c.mail.smtp_url; }));
  t.push_back(option("mail.smtp_user", "SMTP user (or user:password@ in the URL)",
                     [](Config& c) -> std::string& { return c.mail.smtp_user; }));
  t.push_back(
      option("mail.smtp_password", "SMTP password", [](Config& c) -> std::string& { return c.mail.smtp_password; }));
  t.push_back(option("mail.from", "From of digest and confirmation mails",
                     [](Config& c) -> std::string& { return c.mail.from; }));
  t.push_back(option(
      "mail.rate_per_second", "at most this many mails a second (global send rate limit)",
      [](Config& c) -> double& { return c.mail.rate_per_second; }, between(1e-6, 1e9)));
  t.push_back(option(
      "recommend.window_days", "recommendations: papers listed in the newest N listing days",
      [](Config& c) -> int& { return c.recommend.window_days; }, between(1, 365)));
  t.push_back(option(
      "recommend.neighbours", "recommendations: nearest papers searched per liked paper",
      [](Config& c) -> int& { return c.recommend.neighbours; }, between(1, 500)));
  t.push_back(option(
      "mail.max_attempts", "tries of a temporarily failing mail before it fails for good",
      [](Config& c) -> int& { return c.mail.max_attempts; }, between(1, 1000)));
  t.push_back(option(
      "mail.retry_backoff_s", "first retry wait in seconds; doubles each try, at most 6 hours",
      [](Config& c) -> double& { return c.mail.retry_backoff_s; }, between(0, 1e9)));
  t.push_back(option(
      "mail.pause_after_failures", "permanent delivery failures in a row that pause an address",
      [](Config& c) -> int& { return c.mail.pause_after_failures; }, at_least(1)));
  t.push_back(option(
      "mail.claim_lease_s", "seconds after which a mail claimed by a sender that died is sent again",
      [](Config& c) -> int& { return c.mail.claim_lease_s; }, between(1, 1e9)));
  t.push_back(option("mail.schedule",
                     "serve: queue daily/weekly digest issues at mail.send_at (false: cron runs `digest send`)",
                     [](Config& c) -> bool& { return c.mail.schedule; }));
  t.push_back(option("mail.send_at", "serve: time of day (HH:MM UTC) when digest issues are queued",
                     [](Config& c) -> std::string& { return c.mail.send_at; }));
  t.push_back(option(
      "mail.poll_s", "serve: seconds between outbox checks", [](Config& c) -> double& { return c.mail.poll_s; },
      between(0.01, 1e9)));
  t.push_back(option(
      "ingest.batch_size", "papers per transaction during bulk ingest",
      [](Config& c) -> int& { return c.ingest.batch_size; }, between(1, 10'000'000)));
  t.push_back(option("harvest.base_url", "OAI-PMH endpoint to harvest",
                     [](Config& c) -> std::string& { return c.harvest.base_url; }));
  t.push_back(option(
      "harvest.prefix", "OAI-PMH metadataPrefix: arXiv, arXivRaw (version history) or oai_dc",
      [](Config& c) -> std::string& { return c.harvest.prefix; }, one_of({"arXiv", "arXivRaw", "oai_dc"})));
  t.push_back(option("harvest.sets", "comma-separated OAI-PMH sets (cs,stat,math); empty: everything",
                     [](Config& c) -> std::string& { return c.harvest.sets; }));
  t.push_back(option(
      "harvest.min_interval_s", "seconds between requests to one server (arXiv asks for 3)",
      [](Config& c) -> double& { return c.harvest.min_interval_s; }, between(0, 86400)));
  t.push_back(option("harvest.contact", "contact e-mail sent in the User-Agent (arXiv asks for one)",
                     [](Config& c) -> std::string& { return c.harvest.contact; }));
  t.push_back(option(
      "harvest.timeout_s", "seconds one request may take, body included",
      [](Config& c) -> double& { return c.harvest.timeout_s; }, between(0.001, 86400)));
  t.push_back(option(
      "harvest.max_attempts", "tries per request before giving up (backoff doubles)",
      [](Config& c) -> int& { return c.harvest.max_attempts; }, between(1, 100)));
  t.push_back(option(
      "harvest.backoff_s", "first retry wait in seconds; doubles each retry, at most 300",
      [](Config& c) -> double& { return c.harvest.backoff_s; }, between(0, 86400)));
  t.push_back(option("harvest.api_url", "arXiv API query endpoint for `paperboy fetch`",
                     [](Config& c) -> std::string& { return c.harvest.api_url; }));
  t.push_back(option("harvest.schedule", "serve: harvest daily at harvest.daily_at (off by default)",
                     [](Config& c) -> bool& { return c.harvest.schedule; }));
  t.push_back(option("harvest.daily_at", "serve: time of the daily harvest, HH:MM UTC",
                     [](Config& c) -> std::string& { return c.harvest.daily_at; }));
  t.push_back(option("thumbnails.enabled",
                     "serve: fetch each new paper's PDF and make a first-page thumbnail (off by default)",
                     [](Config& c) -> bool& { return c.thumbnails.enabled; }));
  t.push_back(option("thumbnails.pdf_url", "where a paper's PDF is fetched; {id} is replaced by the arXiv id",
                     [](Config& c) -> std::string& { return c.thumbnails.pdf_url; }));
  t.push_back(option("thumbnails.contact", "contact e-mail sent in the User-Agent; empty: harvest.contact",
                     [](Config& c) -> std::string& { return c.thumbnails.contact; }));
  t.push_back(option(
      "thumbnails.delay_ms",
      "milliseconds between PDF requests (arXiv asks for 3000; less is refused unless pdf_url is loopback)",
      [](Config& c) -> int& { return c.thumbnails.delay_ms; }, between(0, 86'400'000)));
  t.push_back(option("thumbnails.dir", "where thumbnail images are kept (default: DATA_DIR/thumbs)",
                     [](Config& c) -> std::string& { return c.thumbnails.dir; }));
  t.push_back(option(
      "thumbnails.width", "thumbnail width in pixels", [](Config& c) -> int& { return c.thumbnails.width; },
      between(16, 2000)));
  t.push_back(option(
      "thumbnails.max_attempts", "tries of a paper whose PDF server fails (5xx, timeout) before it fails for good",
      [](Config& c) -> int& { return c.thumbnails.max_attempts; }, between(1, 100)));
  t.push_back(option(
      "thumbnails.retry_backoff_s", "seconds before a failed paper is tried again; doubles per attempt",
      [](Config& c) -> double& { return c.thumbnails.retry_backoff_s; }, between(0, 1e9)));
  t.push_back(option(
      "thumbnails.poll_s", "serve: seconds the job waits for new papers once none is left",
      [](Config& c) -> double& { return c.thumbnails.poll_s; }, between(0.01, 1e9)));
  t.push_back(option("community.enabled", "serve: accounts, sessions and upvotes",
                     [](Config& c) -> bool& { return c.community.enabled; }));
  t.push_back(option(
      "community.password_hash", "argon2id cost: interactive (default) or minimum (tests only)",
      [](Config& c) -> std::string& { return c.community.password_hash; }, one_of({"interactive", "minimum"})));
  t.push_back(option(
      "community.login_attempts",
      "failed logins per account before each further attempt waits (2 s, doubling per failure)",
      [](Config& c) -> int& { return c.community.login_attempts; }, at_least(1)));
  t.push_back(option(
      "community.login_client_failures", "failed logins per client address before the same delays",
      [](Config& c) -> int& { return c.community.login_client_failures; }, at_least(1)));
  t.push_back(option(
      "community.login_window_s", "failed logins are forgotten this many seconds after the last one",
      [](Config& c) -> int& { return c.community.login_window_s; }, at_least(1)));
  t.push_back(option(
      "community.login_max_delay_s", "the longest wait a failed login imposes, seconds",
      [](Config& c) -> int& { return c.community.login_max_delay_s; }, at_least(1)));
  t.push_back(option(
      "community.signups_per_hour", "sign-up attempts per client address per hour",
      [](Config& c) -> int& { return c.community.signups_per_hour; }, at_least(1)));
  t.push_back(option(
      "community.password_resets_per_hour",
      "password-reset requests per client address per hour (and 3 mails per email)",
      [](Config& c) -> int& { return c.community.password_resets_per_hour; }, at_least(1)));
  t.push_back(option(
      "community.submit_max_age_days", "serve: submitted papers may be at most this many days old (first version)",
      [](Config& c) -> int& { return c.community.submit_max_age_days; }, at_least(0)));
  t.push_back(option(
      "community.submissions_per_hour", "serve: paper submissions per account per hour",
      [](Config& c) -> int& { return c.community.submissions_per_hour; }, at_least(1)));
  t.push_back(option("library.enabled", "serve: collections, follows, My feed and comments (needs community.enabled)",
                     [](Config& c) -> bool& { return c.library.enabled; }));
  t.push_back(option(
      "library.comment_max_bytes", "largest comment accepted, bytes of markdown",
      [](Config& c) -> int& { return c.library.comment_max_bytes; }, at_least(1)));
  t.push_back(option(
      "library.comments_per_window", "new comments per account per library.comment_window_s",
      [](Config& c) -> int& { return c.library.comments_per_window; }, at_least(1)));
  t.push_back(option(
      "library.comment_window_s", "comment rate-limit window, seconds",
      [](Config& c) -> int& { return c.library.comment_window_s; }, at_least(1)));
  t.push_back(option("search.index_dir", "directory of the derived search indexes (default: DATA_DIR/index)",
                     [](Config& c) -> std::string& { return c.search.index_dir; }));
  t.push_back(option(
      "search.dimension", "dimensions of the LSA paper vectors", [](Config& c) -> int& { return c.search.dimension; },
      between(2, 2048)));
  t.push_back(option(
      "search.min_train_docs", "papers needed before semantic search is trained",
      [](Config& c) -> int& { return c.search.min_train_docs; }, at_least(1)));
  t.push_back(option(
      "search.candidates", "candidates each side contributes to hybrid ranking and similar papers",
      [](Config& c) -> int& { return c.search.candidates; }, between(1, 10'000)));
  t.push_back(option(
      "search.ef_search", "HNSW query beam width (recall vs latency)",
      [](Config& c) -> int& { return c.search.ef_search; }, between(1, 10'000)));
  t.push_back(option(
      "search.persist_interval_seconds", "how often the vector index is written while following the store",
      [](Config& c) -> int& { return c.search.persist_interval_seconds; }, at_least(1)));
  return t;
}

const OptionSpec* find_option(std::string_view key) {
  for (const auto& o : option_table()) {
    if (o.key == key) return &o;
  }
  return nullptr;
}

Status set_key(Config& c, std::string_view key, std::string_view value, std::string_view where) {
  const OptionSpec* o = find_option(key);
  if (o == nullptr)
    return Status::invalid_argument(std::string(where) + ": unknown setting '" + std::string(key) + "'");
  return o->set(c, value).with_context(std::string(where) + ": " + std::string(key));
}

// Flattens a TOML table into "section.key" -> text.
Status apply_toml(Config& c, const toml::table& table, const std::string& prefix, const std::string& file) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      PB_RETURN_IF_ERROR(apply_toml(c, *sub, key, file));
      continue;
    }
    std::string text;
    if (auto s = node.value<std::string>()) {
      text = *s;
    } else if (auto b = node.value_exact<bool>()) {
      text = *b ? "true" : "false";
    } else if (auto i = node.value_exact<int64_t>()) {
      text = std::to_string(*i);
    } else if (auto d = node.value_exact<double>()) {
      text = std::to_string(*d);
    } else {
      return Status::invalid_argument(file + ": unsupported value type for '" + key + "'");
    }
    PB_RETURN_IF_ERROR(set_key(c, key, text, file));
  }
  return Status::ok();
}

}  // namespace

std::string Config::database_url() const {
  if (!database.empty()) return database;
  return "sqlite:" + (std::filesystem::path(data_dir) / "paperboy.db").string();
}

std::string Config::thumbnail_dir() const {
  if (!thumbnails.dir.empty()) return thumbnails.dir;
  return (std::filesystem::path(data_dir) / "thumbs").string();
}

namespace {

// What no single row's range or list can say (each row refuses a value out of its range when it is
// set, with the setting's name: a port of 70000 would otherwise bind 4464).
Status check_ranges(const Config& c) {
  if (const std::string& listen = c.metrics.listen; !listen.empty()) {
    auto colon = listen.rfind(':');
    std::string digits = colon == std::string::npos ? "" : listen.substr(colon + 1);
    bool ok = colon != std::string::npos && colon > 0 && !digits.empty() && digits.size() <= 5 &&
              digits.find_first_not_of("0123456789") == std::string::npos && std::stoi(digits) <= 65535;
    if (!ok)
      return Status::invalid_argument("metrics.listen: must be HOST:PORT (e.g. 127.0.0.1:9464), got '" + listen + "'");
  }
  // arXiv's terms (one request per 3 s) hold for any real host; only a server on this machine
  // (the tests' loopback PDF server) may be asked faster.
  const auto& t = c.thumbnails;
  if (t.pdf_url.find("{id}") == std::string::npos ||
      !(t.pdf_url.starts_with("http://") || t.pdf_url.starts_with("https://"))) {
    return Status::invalid_argument("thumbnails.pdf_url: must be an http(s) URL containing {id}, got '" + t.pdf_url +
                                    "'");
  }
  if (t.delay_ms < 3000 && !is_loopback_url(t.pdf_url)) {
    return Status::invalid_argument(
        "thumbnails.delay_ms: below 3000 only for a loopback pdf_url (arXiv asks for "
        "one request per 3 s), got " +
        std::to_string(t.delay_ms) + " for '" + t.pdf_url + "'");
  }
  return Status::ok();
}

}  // namespace

bool is_loopback_url(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string_view host = rest;
  if (host.starts_with("[")) {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host == "localhost" || host == "[::1]") return true;
  // 127.0.0.0/8, written as four decimal numbers.
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (char ch : host) {
    if (ch == '.') {
      ++dots;
    } else if (ch < '0' || ch > '9') {
      return false;
    }
  }
  return dots == 3;
}

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> table = build_table();
  return table;
}

Status apply_config_text(Config& config, std::string_view toml_text, const std::string& source) {
  try {
    toml::table table = toml::parse(toml_text, source);
    return apply_toml(config, table, "", source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Status::invalid_argument(source + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                                    ": " + std::string(e.description()));
  }
}

Result<Config> load_config(const std::string& config_file, const std::map<std::string, std::string>& overrides) {
  Config c;
  // data_dir decides where the default config file lives, so resolve it first.
  if (const char* env = std::getenv("PAPERBOY_DATA_DIR"); env != nullptr && *env != '\0') c.data_dir = env;
  if (auto it = overrides.find("data_dir"); it != overrides.end()) c.data_dir = it->second;

  std::string file = config_file;
  if (file.empty()) {
    if (const char* env = std::getenv("PAPERBOY_CONFIG"); env != nullptr && *env != '\0') file = env;
  }
  bool explicit_file = !file.empty();
  if (file.empty()) file = (std::filesystem::path(c.data_dir) / "paperboy.toml").string();
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(Status::invalid_argument("cannot read config file " + file));
    std::stringstream text;
    text << in.rdbuf();
    if (Status s = apply_config_text(c, text.str(), file); !s.is_ok()) return fail(s);
  } else if (explicit_file) {
    return fail(Status::not_found("config file " + file + " does not exist"));
  }
  for (const auto& o : option_table()) {
    if (const char* env = std::getenv(o.env.c_str()); env != nullptr) {
      if (Status s = o.set(c, env); !s.is_ok()) return fail(s.with_context(o.key).with_context(o.env));
    }
  }
  for (const auto& [key, value] : overrides) {
    if (Status s = set_key(c, key, value, "command line"); !s.is_ok()) return fail(s);
  }
  if (Status s = check_ranges(c); !s.is_ok()) return fail(s);
  return c;
}

namespace {

// Secrets never appear in `paperboy config` output, which ends up in bug reports and logs:
// password settings are hidden, and so is the password of a URL's user:password@.
std::string redacted(const std::string& key, std::string value) {
  if (value.empty()) return value;
  if (key.ends_with("password")) return "(set, hidden)";
  size_t scheme = value.find("://");
  if (scheme == std::string::npos) return value;
  size_t start = scheme + 3;
  size_t at = value.find('@', start);
  size_t slash = value.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return value;
  size_t colon = value.find(':', start);
  if (colon != std::string::npos && colon < at) value.replace(colon + 1, at - colon - 1, "****");
  return value;
}

}  // namespace

std::string describe(const Config& config) {
  std::string out;
  for (const auto& o : option_table()) {
    out += o.key + " = " + redacted(o.key, o.get(config)) + "    # " + o.env + ": " + o.help + "\n";
  }
  return out;
}

std::string OptionSpec::allowed() const {
  if (!choices.empty()) {
    std::string out;
    for (size_t i = 0; i < choices.size(); ++i) {
      if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
      out += choices[i];
    }
    return out;
  }
  if (min && max) return "between " + number_text(*min) + " and " + number_text(*max);
  if (min) return "at least " + number_text(*min);
  if (max) return "at most " + number_text(*max);
  return "";
}

namespace {

// A TOML basic string.
std::string toml_string(std::string_view v) {
  std::string out = "\"";
  for (char ch : v) {
    auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string toml_value(const OptionSpec& o, const std::string& text) {
  if (o.type == "string") return toml_string(text);
  if (o.type == "double") {
    std::string v = number_text(std::stod(text));
    if (v.find_first_of(".en") == std::string::npos) v += ".0";  // a TOML float, not an integer
    return v;
  }
  return text;  // int, bool
}

}  // namespace

std::string config_template(const Config& config) {
  const Config defaults;
  std::string out =
      "# Paperboy's configuration (paperboy.toml). Every setting with its default, commented out:\n"
      "# uncomment to change. Each can also be set by the environment variable named beside it, or by a\n"
      "# command-line flag; `paperboy --config FILE config` prints the result. Written by\n"
      "# `paperboy config --template` from the option table (src/config/config.cc).\n";
  // Sections in the order the table first names them; top-level settings first.
  std::vector<std::string> sections = {""};
  for (const auto& o : option_table()) {
    auto dot = o.key.find('.');
    std::string section = dot == std::string::npos ? "" : o.key.substr(0, dot);
    if (std::ranges::find(sections, section) == sections.end()) sections.push_back(section);
  }
  for (const auto& section : sections) {
    out += section.empty() ? "\n" : "\n[" + section + "]\n";
    for (const auto& o : option_table()) {
      auto dot = o.key.find('.');
      if ((dot == std::string::npos ? "" : o.key.substr(0, dot)) != section) continue;
      std::string name = dot == std::string::npos ? o.key : o.key.substr(dot + 1);
      std::string help = o.help;
      if (std::string allowed = o.allowed(); !allowed.empty()) help += "; " + allowed;
      out += "# " + help + " (" + o.env + ")\n";
      std::string value = o.get(config);
      // A password is never written out: it belongs in the file by hand or in the environment.
      bool is_set = value != o.get(defaults) && !o.key.ends_with("password");
      out += (is_set ? "" : "# ") + name + " = " + toml_value(o, is_set ? value : o.get(defaults)) + "\n";
    }
  }
  return out;
}

}  // namespace paperboy::config
