// Config: every setting of Paperboy in one place, with its type, default, TOML key, environment
// variable and help text (the option table in config.cc). Values are layered: defaults, then the
// TOML config file, then PAPERBOY_* environment variables, then command-line flags. Each part
// reads its own section. Plain values; thread-compatible.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paperboy::config {

struct Config {
  std::string data_dir = "paperboy-data";  // data_dir, PAPERBOY_DATA_DIR
  std::string database;                    // empty: SQLite file paperboy.db in data_dir
  std::string log_level = "info";

  struct Server {
    std::string host = "127.0.0.1";
    int port = 8080;
    int threads = 8;
    bool load_demo_data = true;  // load data/demo when the database is empty
    std::string demo_data;       // empty: demo-papers.jsonl.zst in assets_dir
    std::string assets_dir;      // KaTeX and demo data; empty: ../share/paperboy beside the binary
    std::string public_url;      // absolute base URL for links in mails and feeds; empty: listening address
    // The HTTP transport (web/http/transport.h): threads, per-client limits, trusted proxies.
    int io_threads = 2;
    int max_queued = 1000;
    int max_target_bytes = 8 * 1024;
    int max_header_bytes = 16 * 1024;
    int max_headers = 100;
    int max_body_bytes = 64 * 1024;
    int read_timeout_ms = 10'000;
    int idle_timeout_ms = 5'000;
    int write_timeout_ms = 10'000;
    int max_connections = 10'000;
    int max_connections_per_address = 256;
    int max_requests_per_connection = 1000;
    std::string access_log = "json";  // one line per request: json, combined (Apache/nginx) or off
    std::string trusted_proxies;      // "127.0.0.1, 10.0.0.0/8, ::1": whose X-Forwarded-For is believed
  } server;

  // GET /metrics (Prometheus text format), on the main listener or on its own.
  struct Metrics {
    bool enabled = false;
    std::string listen;  // HOST:PORT of a listener for /metrics alone; empty: the main listener
  } metrics;

  struct Ingest {
    int batch_size = 5000;
  } ingest;

  // OAI-PMH harvesting and arXiv API lookups (paperboy harvest / fetch / serve's schedule).
  struct Harvest {
    std::string base_url = "https://oaipmh.arxiv.org/oai";
    std::string prefix = "arXiv";  // arXiv, arXivRaw or oai_dc
    std::string sets;              // comma-separated set specs: "cs,stat"; empty = all
    double min_interval_s = 3;     // arXiv's terms: one request per 3 s
    std::string contact;           // e-mail put in the User-Agent
    double timeout_s = 120;
    int max_attempts = 6;  // tries per request, with exponential backoff
    double backoff_s = 5;  // first retry wait; doubles, capped at 300 s
    std::string api_url = "https://export.arxiv.org/api/query";
    bool schedule = false;           // serve harvests daily at daily_at (off by default)
    std::string daily_at = "03:00";  // UTC; arXiv announces at 20:00 US Eastern
  } harvest;
  // First-page thumbnails: serve's background job and `paperboy thumbnails` fetch each paper's PDF
  // (arXiv's terms as for harvesting: one request at a time, 3 s apart, a contact address).
  struct Thumbnails {
    bool enabled = false;                                // serve runs the job (off by default)
    std::string pdf_url = "https://arxiv.org/pdf/{id}";  // {id}: the arXiv id
    std::string contact;                                 // User-Agent contact; empty: harvest.contact
    int delay_ms = 3000;                                 // between requests; below 3000 only to loopback
    std::string dir;                                     // empty: <data_dir>/thumbs
    int width = 320;                                     // pixels
    int max_attempts = 5;                                // temporary failures before a paper fails for good
    double retry_backoff_s = 3600;                       // first retry wait; doubles per attempt
    double poll_s = 600;                                 // serve: idle wait before looking for new papers
  } thumbnails;
  struct Search {
    std::string index_dir;     // empty: <data_dir>/index (derived data, local to this instance)
    int dimension = 256;       // LSA vector dimensions
    int min_train_docs = 200;  // semantic search starts once the store has this many papers
    int candidates = 100;      // candidates per side for hybrid fusion and similar papers
    int ef_search = 128;       // HNSW query beam
    int persist_interval_seconds = 30;
  } search;

  // Accounts, votes (serve's community features).
  struct Community {
    bool enabled = true;
    std::string password_hash = "interactive";  // argon2id cost: interactive, or minimum (tests, benchmarks)
    int login_attempts = 5;                     // failed logins per account before each further one waits
    int login_client_failures = 50;             // failed logins per client address before the same
    int login_window_s = 900;                   // failures are forgotten this long after the last one
    int login_max_delay_s = 900;                // the wait (2 s, doubling per failure) never exceeds this
    int signups_per_hour = 20;                  // sign-up attempts per client address
    int password_resets_per_hour = 10;          // reset requests per client address (3 mails per email)
    int submit_max_age_days = 14;               // submitted papers at most this old (first version)
    int submissions_per_hour = 10;              // per account
  } community;

  // Personal recommendations (serve's /recommended, personal digests).
  struct Recommend {
    int window_days = 30;  // /recommended proposes papers listed in the newest N listing days
    int neighbours = 40;   // nearest papers searched per liked paper
  } recommend;

  // Collections, follows and comments (serve's library features; need community.enabled).
  struct Library {
    bool enabled = true;
    int comment_max_bytes = 10000;  // markdown source of one comment
    int comments_per_window = 5;    // new comments per account per window
    int comment_window_s = 60;
  } library;

  // E-mail digests (paperboy digest send, serve's digest schedule).
  struct Mail {
    std::string smtp_url;                  // smtp://host:port[?starttls=required], smtps://; empty: no sending
    std::string smtp_user, smtp_password;  // or user:password in the URL
    std::string from = "Paperboy <digest@localhost>";
    double rate_per_second = 5;     // global send rate limit of one process
    int max_attempts = 8;           // temporary failures before a mail fails for good
    double retry_backoff_s = 60;    // first retry wait, doubling
    int pause_after_failures = 3;   // permanent failures in a row that pause an address
    int claim_lease_s = 300;        // a mail claimed this long ago by a dead sender is resent
    bool schedule = true;           // serve queues digest issues (false: only `digest send` does)
    std::string send_at = "07:00";  // serve: time of day (UTC) daily issues are queued
    double poll_s = 30;             // serve: how often the outbox is checked
  } mail;

  // The store URL: `database` when set, else "sqlite:<data_dir>/paperboy.db".
  [[nodiscard]] std::string database_url() const;
  // Where thumbnail images live: thumbnails.dir when set, else "<data_dir>/thumbs".
  [[nodiscard]] std::string thumbnail_dir() const;
};

// One row of the option table. The row validates: `set` refuses a value of the wrong type, out
// of [min, max] or not among `choices`, with a message that says what is allowed.
struct OptionSpec {
  std::string key;  // TOML key, "server.port"
  std::string env;  // "PAPERBOY_SERVER_PORT"
  std::string help;
  std::string type;                  // "string", "int", "bool", "double"
  std::optional<double> min, max;    // numbers: the allowed range (inclusive)
  std::vector<std::string> choices;  // strings with fixed values: the allowed ones
  std::function<Status(Config&, std::string_view)> set;
  std::function<std::string(const Config&)> get;
  // "0..65535", "at least 1", "json, combined or off"; "" when any value of the type goes.
  [[nodiscard]] std::string allowed() const;
};

const std::vector<OptionSpec>& option_table();

// Applies the settings of one TOML document (the config file's text) over `config`. Syntax
// errors are kInvalidArgument naming `source`, line and column; unknown keys and bad values too.
[[nodiscard]] Status apply_config_text(Config& config, std::string_view toml_text, const std::string& source);

// Layers file, environment and overrides (key -> text, from flags) over the defaults.
// `config_file` empty: "<data_dir>/paperboy.toml" if it exists. Unknown keys are errors.
[[nodiscard]] Result<Config> load_config(const std::string& config_file,
                                         const std::map<std::string, std::string>& overrides);

// Whether an http(s) URL's host is this machine (localhost, 127.x.x.x, [::1]).
[[nodiscard]] bool is_loopback_url(std::string_view url);

// "key = value" lines, for `paperboy config`.
[[nodiscard]] std::string describe(const Config& config);

// A commented config file (`paperboy config --template`): every setting under its section, with
// its help, allowed values and environment variable. Settings that differ from the defaults in
// `config` are written as values, the rest commented out at their defaults. The Debian package's
// /etc/paperboy/paperboy.toml (deploy/paperboy.toml) is this output for data_dir=/var/lib/paperboy.
[[nodiscard]] std::string config_template(const Config& config);

}  // namespace paperboy::config
