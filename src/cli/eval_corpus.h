// What the `paperboy eval search|recommend` commands share: a scratch data directory holding the
// evaluation corpus ingested once (reused by later runs), the corpus read into memory for the
// reference methods computed in the same run, and a plain BM25 (k1 1.2, b 0.75, stop words
// removed, title + abstract) over it. Single-threaded; for evaluation only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace paperboy::cli {

struct EvalPaper {
  std::string id;
  std::string title;
  std::string abstract;
  std::string authors;         // as the record gives them
  std::int64_t first_day = 0;  // v1 date, days since 1970-01-01
};

// The corpus records in file order (only the fields the references need).
[[nodiscard]] Result<std::vector<EvalPaper>> read_eval_corpus(const std::string& path);

// The default scratch directory for `corpus`: /tmp/paperboy-eval-<file name>.
[[nodiscard]] std::string default_eval_dir(const std::string& corpus);

// Opens the database in `data_dir` (SQLite), ingesting `corpus` first unless an earlier run did.
[[nodiscard]] Result<std::unique_ptr<store::Database>> open_eval_database(const std::string& data_dir,
                                                                          const std::string& corpus);

// Plain BM25 over analyzed title + abstract (the textbook reference the issue measures against).
class Bm25Reference {
 public:
  explicit Bm25Reference(const std::vector<EvalPaper>& papers, double k1 = 1.2, double b = 0.75);
  // Indexes into the papers, best first.
  [[nodiscard]] std::vector<int> rank(const std::string& query, int limit) const;

 private:
  struct Posting {
    int doc;
    float tf;
  };
  std::unordered_map<std::string, std::vector<Posting>> postings_;
  std::vector<float> norm_;  // k1 * (1 - b + b * len / avglen)
  double k1_;
  size_t docs_ = 0;
};

}  // namespace paperboy::cli
