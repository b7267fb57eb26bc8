// ThumbnailStore: which papers have a first-page thumbnail, which failed for good and which wait
// for another try (the thumbnail job, thumbs/thumbnail_job.h, fills it; listing cards and the API
// read it). The images themselves are files named by their content hash (store/thumbnail_files.h);
// a row holds the hash. Implementations: SQLite (the paper store's file) and PostgreSQL
// (component "thumbnails"). Rows are derived data: `paperboy migrate` does not copy them, and a
// lost table only means the job fetches again. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace paperboy::store {

enum class ThumbnailState {
  kOk,      // the image exists: `hash` names it
  kFailed,  // for good: the PDF is gone (404/410), corrupt, or the attempts are spent
  kRetry,   // a temporary failure (5xx, timeout): tried again at next_attempt_at
};

// "ok", "failed", "retry" (as stored).
[[nodiscard]] constexpr std::string_view thumbnail_state_name(ThumbnailState state) {
  switch (state) {
    case ThumbnailState::kOk: return "ok";
    case ThumbnailState::kFailed: return "failed";
    case ThumbnailState::kRetry: break;
  }
  return "retry";
}

struct ThumbnailRecord {
  std::string paper_id;
  ThumbnailState state = ThumbnailState::kRetry;
  std::string hash;  // content hash of the image (kOk only)
  int width = 0, height = 0;
  int attempts = 0;                  // fetches so far
  std::int64_t next_attempt_at = 0;  // unix seconds (kRetry)
  std::int64_t updated_at = 0;
  std::string error;  // the last failure, for `paperboy thumbnails` and the log
};

// A paper the job should work on now.
struct ThumbnailCandidate {
  std::string paper_id;
  std::string listing_day;
  int attempts = 0;  // earlier tries (0: never tried)
};

// What a card needs to show a thumbnail.
struct ThumbnailRef {
  std::string hash;
  int width = 0, height = 0;
};

struct ThumbnailCounts {
  std::int64_t ok = 0, failed = 0, retry = 0;
};

class ThumbnailStore {
 public:
  virtual ~ThumbnailStore() = default;

  // Papers that need a thumbnail now, newest listing day first (then newest first within a day):
  // those never tried, and those in kRetry whose next_attempt_at <= now. kOk and kFailed papers
  // are skipped. `since_day` ("YYYY-MM-DD", "" for all): only papers listed on or after it.
  virtual Result<std::vector<ThumbnailCandidate>> due(std::int64_t now, std::string_view since_day, int limit) = 0;
  // Inserts or replaces the paper's row.
  virtual Status record(const ThumbnailRecord& record) = 0;
  virtual Result<std::optional<ThumbnailRecord>> get(std::string_view paper_id) = 0;
  // The thumbnails of these papers (papers without one are absent).
  virtual Result<std::unordered_map<std::string, ThumbnailRef>> thumbnails_of(
      std::span<const std::string> paper_ids) = 0;
  virtual Result<ThumbnailCounts> counts() = 0;
  // Grows whenever a thumbnail is stored, by this process or another sharing the database
  // (newest updated_at of a kOk row x 1000 + the kOk rows of that second; kOk rows are never
  // removed): part of the page cache's key, so a card cached before its thumbnail existed is
  // rendered again. Cheap: index look-ups only.
  virtual Result<std::int64_t> generation() = 0;
};

}  // namespace paperboy::store
