#include "thumbs/thumbnail_job.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "core/job_guard.h"
#include "core/time.h"

namespace paperboy::thumbs {
namespace {

using Clock = std::chrono::steady_clock;
using store::ThumbnailState;

constexpr double kArxivDelayS = 3;  // arXiv's terms: one request per 3 seconds

std::string pdf_url_for(std::string_view url_template, std::string_view id) {
  std::string url(url_template);
  // Stored ids are canonical arXiv ids ("2403.01234", "hep-th/9901001"): URL-safe as they are.
  if (auto at = url.find("{id}"); at != std::string::npos) url.replace(at, 4, id);
  return url;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

ThumbnailJobOptions thumbnail_job_options_from(const config::Config& config) {
  ThumbnailJobOptions o;
  const auto& t = config.thumbnails;
  o.pdf_url = t.pdf_url;
  o.delay_s = t.delay_ms / 1000.0;
  if (o.delay_s < kArxivDelayS && !config::is_loopback_url(t.pdf_url)) {
    spdlog::warn("thumbnails.delay_ms {} is below arXiv's 3000 for a host that is not loopback; using 3000",
                 t.delay_ms);
    o.delay_s = kArxivDelayS;
  }
  o.max_attempts = t.max_attempts;
  o.retry_backoff_s = t.retry_backoff_s;
  o.render.width = t.width;
  return o;
}

ingest::HttpClientOptions thumbnail_http_options_from(const config::Config& config) {
  ingest::HttpClientOptions o;
  const std::string& contact = config.thumbnails.contact.empty() ? config.harvest.contact : config.thumbnails.contact;
  o.user_agent = ingest::make_user_agent(contact);
  o.timeout_s = config.harvest.timeout_s;
  o.min_interval_s = 0;  // ThumbnailJob paces, and wakes up when told to stop
  o.max_body_bytes = RenderOptions{}.max_pdf_bytes;
  return o;
}

ThumbnailJob::ThumbnailJob(store::ThumbnailStore& store, store::ThumbnailFiles files, ingest::HttpClient& http,
                           ThumbnailJobOptions options)
    : store_(store), files_(std::move(files)), http_(http), options_(std::move(options)) {}

Result<ThumbnailRunSummary> ThumbnailJob::run(const std::atomic<bool>& stop, const Wait& wait,
                                              std::string_view since_day, int limit, const Progress& progress) {
  ThumbnailRunSummary summary;
  std::unordered_set<std::string> tried;  // each paper once per run, even when its retry is due at once
  for (;;) {
    if (stop.load()) {
      summary.interrupted = true;
      return summary;
    }
    auto due = store_.due(core::unix_now(), since_day, options_.batch + static_cast<int>(tried.size()));
    if (!due) return fail(due.error().with_context("thumbnails: papers due"));
    bool progressed = false;
    for (const auto& paper : *due) {
      if (tried.contains(paper.paper_id)) continue;
      if (limit > 0 && summary.tried >= limit) return summary;
      progressed = true;
      tried.insert(paper.paper_id);
      auto outcome = make_one(paper, stop, wait);
      if (!outcome) return fail(outcome.error());
      if (!*outcome) {
        summary.interrupted = true;
        return summary;
      }
      const ThumbnailOutcome& o = **outcome;
      ++summary.tried;
      switch (o.state) {
        case ThumbnailState::kOk:
          ++summary.ok;
          summary.render_ms += o.render_ms;
          summary.image_bytes += o.bytes;
          break;
        case ThumbnailState::kFailed: ++summary.failed; break;
        case ThumbnailState::kRetry: ++summary.retry; break;
      }
      if (progress) progress(o);
    }
    if (!progressed) return summary;  // every due paper was tried in this run
  }
}

Result<std::optional<ThumbnailOutcome>> ThumbnailJob::make_one(const store::ThumbnailCandidate& paper,
                                                               const std::atomic<bool>& stop, const Wait& wait) {
  using Out = std::optional<ThumbnailOutcome>;
  // Records the outcome and hands it back; a local fault (disk, database) is the run's error.
  auto recorded = [this](const store::ThumbnailCandidate& p, ThumbnailOutcome& o, const RenderedPage* page,
                         std::optional<double> retry_after_s) -> Result<Out> {
    if (Status s = record(p, o, page, retry_after_s); !s.is_ok()) return fail(s);
    return Out(std::move(o));
  };
  if (next_request_) {
    double remaining = std::chrono::duration<double>(*next_request_ - Clock::now()).count();
    if (remaining > 0 && !wait(remaining)) return Out();
  }
  if (stop.load()) return Out();
  ThumbnailOutcome outcome;
  outcome.paper_id = paper.paper_id;
  const std::string url = pdf_url_for(options_.pdf_url, paper.paper_id);
  auto response = http_.get(url);
  auto paced = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.delay_s));
  next_request_ = Clock::now() + paced;
  std::optional<double> retry_after;
  if (!response) {
    const Status& e = response.error();
    if (e.code() == StatusCode::kCancelled) return Out();
    // An over-size PDF will not shrink; a network failure may pass.
    outcome.state = e.code() == StatusCode::kResourceExhausted ? ThumbnailState::kFailed : ThumbnailState::kRetry;
    outcome.error = e.to_string();
    return recorded(paper, outcome, nullptr, std::nullopt);
  }
  const long code = response->status;
  if (code < 200 || code >= 300) {
    outcome.error = ingest::status_from_http(*response, url).to_string();
    // 404/410: arXiv has no PDF for it (withdrawn, or not an arXiv paper). 403 and 429: we are
    // being refused, which passes; 5xx too. Any other answer will not change.
    bool is_temporary = code == 403 || code == 429 || code >= 500;
    outcome.state = is_temporary ? ThumbnailState::kRetry : ThumbnailState::kFailed;
    retry_after = response->retry_after_s;
    if (is_temporary && retry_after) {
      // The server asked everyone to wait: the whole job pauses, not only this paper.
      double pause = std::min(*retry_after, options_.max_pause_s);
      next_request_ =
          std::max(*next_request_,
                   Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(pause)));
    }
    return recorded(paper, outcome, nullptr, retry_after);
  }
  outcome.pdf_bytes = static_cast<std::int64_t>(response->body.size());
  auto start = Clock::now();
  auto page = render_first_page(response->body, options_.render);
  outcome.render_ms = ms_since(start);
  if (!page) {
    // A PDF poppler cannot read stays unreadable; anything else (a bug, memory) may pass.
    outcome.state =
        page.error().code() == StatusCode::kInvalidArgument ? ThumbnailState::kFailed : ThumbnailState::kRetry;
    outcome.error = page.error().message() + " (" + url + ")";
    return recorded(paper, outcome, nullptr, std::nullopt);
  }
  outcome.state = ThumbnailState::kOk;
  outcome.bytes = static_cast<std::int64_t>(page->webp.size());
  return recorded(paper, outcome, &*page, std::nullopt);
}

Status ThumbnailJob::record(const store::ThumbnailCandidate& paper, ThumbnailOutcome& outcome, const RenderedPage* page,
                            std::optional<double> retry_after_s) {
  store::ThumbnailRecord r;
  r.paper_id = paper.paper_id;
  r.attempts = paper.attempts + 1;
  r.updated_at = core::unix_now();
  if (page != nullptr) {
    auto hash = files_.put(page->webp);
    if (!hash) return hash.error().with_context("thumbnails: storing the image of " + paper.paper_id);
    r.hash = *hash;
    r.width = page->width;
    r.height = page->height;
  }
  if (outcome.state == ThumbnailState::kRetry && r.attempts >= options_.max_attempts) {
    outcome.state = ThumbnailState::kFailed;
    outcome.error += "; giving up after " + std::to_string(r.attempts) + " tries";
  }
  if (outcome.state == ThumbnailState::kRetry) {
    double wait = std::min(options_.retry_backoff_s * std::pow(2.0, r.attempts - 1), options_.max_backoff_s);
    if (retry_after_s) wait = std::max(wait, *retry_after_s);
    r.next_attempt_at = r.updated_at + static_cast<std::int64_t>(std::ceil(wait));
  }
  r.state = outcome.state;
  r.error = outcome.error;
  return store_.record(r).with_context("thumbnails: recording " + paper.paper_id);
}

ThumbnailScheduler::ThumbnailScheduler(store::ThumbnailStore& store, store::ThumbnailFiles files,
                                       ingest::HttpClientOptions http, ThumbnailJobOptions options, double poll_s,
                                       store::JobLease* lease, double lease_check_s)
    : store_(store),
      http_([&] {
        http.cancel = &stopping_;  // stop() cuts a transfer short
        return std::make_unique<ingest::HttpClient>(std::move(http));
      }()),
      job_(store, std::move(files), *http_, std::move(options)),
      poll_s_(poll_s),
      lease_(lease),
      lease_check_s_(lease_check_s) {}

ThumbnailScheduler::~ThumbnailScheduler() {
  stop();
}

void ThumbnailScheduler::start() {
  spdlog::info("thumbnails: the job runs (new papers' PDFs are fetched one at a time)");
  thread_ = std::thread([this] { loop(); });
}

void ThumbnailScheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ThumbnailScheduler::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_cv_.notify_all();
}

bool ThumbnailScheduler::wait_for(double seconds) {
  std::unique_lock lock(mu_);
  wake_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return stopping_.load(); });
  return !stopping_.load();
}

std::int64_t ThumbnailScheduler::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void ThumbnailScheduler::loop() {
  while (!stopping_.load()) {
    bool leads = true;
    if (lease_ != nullptr) {
      auto held = core::guard_job("thumbnails lease", [this] { return lease_->refresh(); });
      if (!held) spdlog::warn("thumbnails: {}", held.error().to_string());
      leads = held && *held;
    }
    if (leads) {
      auto summary = core::guard_job("thumbnails", [this] {
        return job_.run(
            stopping_, [this](double s) { return wait_for(s); }, "", 0,
            [](const ThumbnailOutcome& o) {
              if (o.state == store::ThumbnailState::kOk) {
                spdlog::debug("thumbnail of {}: {} bytes in {:.1f} ms", o.paper_id, o.bytes, o.render_ms);
              } else {
                spdlog::info("thumbnail of {}: {} ({})", o.paper_id, store::thumbnail_state_name(o.state), o.error);
              }
            });
      });
      std::lock_guard lock(mu_);
      ++runs_;
      last_run_ = core::unix_now();
      if (summary) {
        last_ = *summary;
        last_error_.clear();
        if (summary->tried > 0) {
          spdlog::info("thumbnails: {} made, {} failed, {} to retry", summary->ok, summary->failed, summary->retry);
        }
      } else {
        last_ = {};
        last_error_ = summary.error().to_string();
        spdlog::error("thumbnails: {}", last_error_);
      }
    }
    std::unique_lock lock(mu_);
    wake_cv_.wait_for(lock, std::chrono::duration<double>(leads ? poll_s_ : lease_check_s_),
                      [this] { return stopping_.load() || woken_; });
    woken_ = false;
  }
}

nlohmann::json ThumbnailScheduler::status_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json out = {
      {"runs", runs_},
      {"last_run", last_run_ == 0 ? nlohmann::json(nullptr) : nlohmann::json(core::format_iso_datetime(last_run_))},
      {"last_made", last_.ok},
      {"last_failed", last_.failed},
      {"last_retry", last_.retry},
      {"last_error", last_error_.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_error_)},
      {"leader", lease_ == nullptr || lease_->is_held()}};
  return {{"thumbnails", out}};
}

}  // namespace paperboy::thumbs
