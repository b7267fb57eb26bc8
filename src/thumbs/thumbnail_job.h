// The thumbnail job: fetches the PDF of each paper that has no thumbnail yet (newest listing day
// first), renders its first page (thumbs/page_render.h), stores the image by content hash
// (store/thumbnail_files.h) and records the outcome (store/thumbnail_store.h), so a run that is
// stopped resumes where it was. Politely, by arXiv's terms: one request at a time, at least
// `delay_s` between the end of one and the start of the next, the contact in the User-Agent
// (the HttpClient's), a Retry-After pausing the whole job. 404/410 and broken PDFs fail a paper for
// good; 5xx, 429, 403 and network errors are tried again later with doubling waits, at most
// `max_attempts` times. One paper's failure never stops the job; only a local fault (the disk, the
// database) or `stop` ends a run early.
// ThumbnailJob runs on the caller's thread (serve's ThumbnailScheduler, `paperboy thumbnails`);
// not thread-safe. ThumbnailScheduler is: start(), stop(), wake() and status_json() from any
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "core/status.h"
#include "ingest/http_client.h"
#include "store/job_lease.h"
#include "store/thumbnail_files.h"
#include "store/thumbnail_store.h"
#include "thumbs/page_render.h"

namespace paperboy::thumbs {

struct ThumbnailJobOptions {
  std::string pdf_url = "https://arxiv.org/pdf/{id}";  // {id}: the arXiv id
  double delay_s = 3;                                  // between requests
  int max_attempts = 5;
  double retry_backoff_s = 3600;  // before the second try; doubles per try
  double max_backoff_s = 7 * 86400;
  double max_pause_s = 3600;  // the longest Retry-After honoured as a pause of the whole job
  int batch = 20;             // candidates read from the store at a time
  RenderOptions render;
};

// The `thumbnails` config section as job options (delay_ms below 3000 only for a loopback
// pdf_url; config validation refuses the rest, this re-checks).
[[nodiscard]] ThumbnailJobOptions thumbnail_job_options_from(const config::Config& config);
// The HTTP client's options: the User-Agent with thumbnails.contact (or harvest.contact), the
// harvest timeouts, no pacing of its own (the job paces, and can stop while it waits), PDFs up to
// the render limit.
[[nodiscard]] ingest::HttpClientOptions thumbnail_http_options_from(const config::Config& config);

// What happened to one paper.
struct ThumbnailOutcome {
  std::string paper_id;
  store::ThumbnailState state = store::ThumbnailState::kRetry;
  std::string error;       // why, unless kOk
  double render_ms = 0;    // rendering and encoding (kOk)
  std::int64_t bytes = 0;  // the image's size (kOk)
  std::int64_t pdf_bytes = 0;
};

struct ThumbnailRunSummary {
  std::int64_t tried = 0, ok = 0, failed = 0, retry = 0;
  double render_ms = 0;          // summed over the papers made
  std::int64_t image_bytes = 0;  // summed over the papers made
  bool interrupted = false;      // stopped before the due papers were done
};

class ThumbnailJob {
 public:
  // Waits `seconds` unless told to stop; false when the job should stop.
  using Wait = std::function<bool(double seconds)>;
  using Progress = std::function<void(const ThumbnailOutcome&)>;

  ThumbnailJob(store::ThumbnailStore& store, store::ThumbnailFiles files, ingest::HttpClient& http,
               ThumbnailJobOptions options);

  // Works through the papers due now (listed on or after `since_day`, "" for all) until none is
  // left, `limit` papers were tried (0: no limit) or `stop` is set. A paper is tried at most once
  // per run. Errors: the database or the thumbnail folder failing (the run stops there).
  [[nodiscard]] Result<ThumbnailRunSummary> run(const std::atomic<bool>& stop, const Wait& wait,
                                                std::string_view since_day = "", int limit = 0,
                                                const Progress& progress = nullptr);

 private:
  // Fetches, renders and stores one paper; nullopt when stopped mid-way (nothing recorded). An
  // error for a local fault.
  Result<std::optional<ThumbnailOutcome>> make_one(const store::ThumbnailCandidate& paper,
                                                   const std::atomic<bool>& stop, const Wait& wait);
  Status record(const store::ThumbnailCandidate& paper, ThumbnailOutcome& outcome, const RenderedPage* page,
                std::optional<double> retry_after_s);

  store::ThumbnailStore& store_;
  store::ThumbnailFiles files_;
  ingest::HttpClient& http_;
  ThumbnailJobOptions options_;
  std::optional<std::chrono::steady_clock::time_point> next_request_;  // pacing
};

// serve's background thread: runs the job whenever it holds the "thumbnails" lease, then waits
// `poll_s` (or until wake()) for new papers.
class ThumbnailScheduler {
 public:
  ThumbnailScheduler(store::ThumbnailStore& store, store::ThumbnailFiles files, ingest::HttpClientOptions http,
                     ThumbnailJobOptions options, double poll_s, store::JobLease* lease = nullptr,
                     double lease_check_s = 5);
  ~ThumbnailScheduler();  // stop()s
  ThumbnailScheduler(const ThumbnailScheduler&) = delete;
  ThumbnailScheduler& operator=(const ThumbnailScheduler&) = delete;

  void start();
  // Stops a fetch in progress or a wait, and joins the thread.
  void stop();
  // Looks for due papers now.
  void wake();
  // Runs completed so far (tests wait on it).
  [[nodiscard]] std::int64_t runs() const;
  // For /healthz: {"thumbnails": {"runs", "last_run", "last_made", "last_failed", "last_error", ...}}.
  [[nodiscard]] nlohmann::json status_json() const;

 private:
  void loop();
  bool wait_for(double seconds);  // false when stopping

  store::ThumbnailStore& store_;
  std::unique_ptr<ingest::HttpClient> http_;
  ThumbnailJob job_;
  double poll_s_;
  store::JobLease* lease_;
  double lease_check_s_;
  mutable std::mutex mu_;
  std::condition_variable wake_cv_;
  bool woken_ = false;
  std::atomic<bool> stopping_{false};
  std::int64_t runs_ = 0;
  std::int64_t last_run_ = 0;
  ThumbnailRunSummary last_;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace paperboy::thumbs
