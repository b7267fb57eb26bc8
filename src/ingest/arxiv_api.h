// Single-paper lookup through arXiv's Atom API (`query?id_list=...`), used by `paperboy fetch` and
// the web UI's "submit a paper" box. Same HttpClient (politeness, size limits) and retry policy
// as the harvester. ArxivApiClient is thread-safe (the shared HttpClient serialises requests).
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "core/paper.h"
#include "core/status.h"
#include "ingest/http_client.h"

namespace paperboy::ingest {

inline constexpr const char* kArxivApiUrl = "https://export.arxiv.org/api/query";

struct ArxivApiOptions {
  std::string api_url = kArxivApiUrl;
  RetryPolicy retry;
  const std::atomic<bool>* stop = nullptr;
};

// The papers in an Atom feed from the arXiv API. Entries that are API errors (<title>Error</title>,
// e.g. a malformed id) fail the whole feed with the API's message; other unusable entries are
// skipped. Versions: v1 at <published>, the latest (from the id's vN) at <updated>.
[[nodiscard]] Result<std::vector<core::Paper>> parse_arxiv_atom_feed(std::string_view xml);

class ArxivApiClient {
 public:
  // `http` must outlive the client.
  ArxivApiClient(HttpClient& http, ArxivApiOptions options);

  // One paper by any id form parse_arxiv_id() accepts. kNotFound when arXiv has no such paper,
  // kInvalidArgument for a malformed id, kUnavailable when arXiv stays unreachable.
  [[nodiscard]] Result<core::Paper> fetch_paper(std::string_view id);

  // Several papers in as few requests as possible (100 ids a request). Ids arXiv does not know
  // are absent from the result.
  [[nodiscard]] Result<std::vector<core::Paper>> fetch_papers(const std::vector<std::string>& canonical_ids);

 private:
  HttpClient& http_;
  ArxivApiOptions options_;
};

}  // namespace paperboy::ingest
