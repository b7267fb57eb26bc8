// OaiPmhHarvester: incremental OAI-PMH 2.0 harvesting (ListRecords) into the store, used by
// `paperboy harvest` and the harvest schedule of `paperboy serve`. Follows resumptionTokens to the
// end; each page's papers and the harvest cursor (per base URL + set + metadataPrefix) are committed
// in one WriteBatch, so an interrupted harvest resumes from the last fully stored page and the next
// run starts from the last completed datestamp. Retries 503/Retry-After, timeouts, dropped
// connections and broken pages with bounded backoff; a page is stored whole or not at all.
// One run at a time per store and cursor; the stop flag may be set from another thread or a signal.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/http_client.h"
#include "ingest/oai_pmh_page.h"
#include "store/store.h"

namespace paperboy::ingest {

inline constexpr const char* kArxivOaiBaseUrl = "https://oaipmh.arxiv.org/oai";

struct OaiPmhOptions {
  std::string base_url = kArxivOaiBaseUrl;
  OaiMetadataFormat format = OaiMetadataFormat::kArxiv;
  std::vector<std::string> sets;  // harvested one after another; empty: the whole repository
  // "YYYY-MM-DD". An empty `from` continues from the last completed datestamp stored for this
  // source (or harvests everything the first time).
  std::string from;
  std::string until;
  RetryPolicy retry;
  int max_restarts = 3;  // badResumptionToken restarts per set before giving up
  const std::atomic<bool>* stop = nullptr;
  // Each malformed record (skipped); default: logged as a warning.
  std::function<void(const std::string& url, const OaiRecordError&)> on_reject;
};

struct HarvestSummary {
  std::int64_t pages = 0;
  std::int64_t records = 0;  // records seen, including deleted and rejected
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t stale = 0;
  std::int64_t rejected = 0;  // malformed records, skipped
  std::int64_t deleted = 0;   // deleted-record headers (nothing stored)
  int retries = 0;            // failed tries that were retried
  int restarts = 0;           // badResumptionToken restarts
  bool resumed = false;       // continued an interrupted harvest from its stored token
  bool interrupted = false;   // the stop flag ended the run early; re-run to continue
  std::string last_datestamp; // newest datestamp seen (the next run's `from`)
  double seconds = 0;
};

class OaiPmhHarvester {
 public:
  // `store` and `http` must outlive the harvester.
  OaiPmhHarvester(store::Store& store, HttpClient& http, OaiPmhOptions options);

  // Harvests every configured set. Fails on store errors, OAI-PMH protocol errors other than
  // noRecordsMatch, and network failures that outlast the retry policy; pages stored before the
  // failure stay stored and the next run resumes after them.
  [[nodiscard]] Result<HarvestSummary> run();

  // The store state key of the cursor for one set ("" = no set).
  [[nodiscard]] std::string cursor_key(const std::string& set) const;

 private:
  struct Cursor;
  Status harvest_set(const std::string& set, HarvestSummary& summary);
  Result<ListRecordsPage> fetch_page(const std::string& url, HarvestSummary& summary);
  std::string list_url(const std::string& set, const Cursor& cursor) const;

  store::Store& store_;
  HttpClient& http_;
  OaiPmhOptions options_;
};

}  // namespace paperboy::ingest
