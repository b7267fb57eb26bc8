#include "ingest/oai_pmh.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace paperboy::ingest {

// The harvest cursor, stored as JSON under cursor_key(). `token` is the next page of an unfinished
// list request made with `run_from`/`run_until`; `completed` is the newest datestamp of the last
// list that ran to its end (the next run's `from`).
struct OaiPmhHarvester::Cursor {
  std::string token;
  std::string run_from;
  std::string run_until;
  std::string run_max_datestamp;
  std::string completed;

  static Cursor parse(const std::string& text) {
    Cursor c;
    auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return c;  // unreadable: start over, which is always safe
    c.token = j.value("token", "");
    c.run_from = j.value("run_from", "");
    c.run_until = j.value("run_until", "");
    c.run_max_datestamp = j.value("run_max_datestamp", "");
    c.completed = j.value("completed", "");
    return c;
  }
  std::string dump() const {
    return nlohmann::json{{"token", token},
                          {"run_from", run_from},
                          {"run_until", run_until},
                          {"run_max_datestamp", run_max_datestamp},
                          {"completed", completed}}
        .dump();
  }
};

OaiPmhHarvester::OaiPmhHarvester(store::Store& store, HttpClient& http, OaiPmhOptions options)
    : store_(store), http_(http), options_(std::move(options)) {}

std::string OaiPmhHarvester::cursor_key(const std::string& set) const {
  return "oai-pmh:" + options_.base_url + "|" + std::string(metadata_prefix_name(options_.format)) + "|" + set;
}

std::string OaiPmhHarvester::list_url(const std::string& set, const Cursor& cursor) const {
  std::string url = options_.base_url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "verb=ListRecords";
  // OAI-PMH §3.5: a resumptionToken request carries no other arguments.
  if (!cursor.token.empty()) return url + "&resumptionToken=" + url_encode(cursor.token);
  url += "&metadataPrefix=" + std::string(metadata_prefix_name(options_.format));
  if (!set.empty()) url += "&set=" + url_encode(set);
  if (!cursor.run_from.empty()) url += "&from=" + url_encode(cursor.run_from);
  if (!cursor.run_until.empty()) url += "&until=" + url_encode(cursor.run_until);
  return url;
}

Result<ListRecordsPage> OaiPmhHarvester::fetch_page(const std::string& url, HarvestSummary& summary) {
  ListRecordsPage page;
  Status s = run_with_retries(
      options_.retry, "OAI-PMH",
      [&](int /*attempt*/) -> TryOutcome {
        // A fresh parser per try: a page that broke off is thrown away whole.
        ListRecordsParser parser;
        auto response = http_.get(url, [&](std::string_view chunk) { return parser.feed(chunk); });
        if (!response) {
          // A parse error surfacing mid-transfer means a broken page: worth another try.
          Status e = response.error();
          if (e.code() == StatusCode::kInvalidArgument) e = Status::io_error(e.message());
          return {e, std::nullopt};
        }
        if (Status http = status_from_http(*response, url); !http.is_ok()) return {http, response->retry_after_s};
        auto parsed = parser.finish();
        if (!parsed) return {Status::io_error("GET " + url + ": broken page: " + parsed.error().message()), std::nullopt};
        page = std::move(*parsed);
        return {Status::ok(), std::nullopt};
      },
      options_.stop, &summary.retries);
  if (!s.is_ok()) return fail(s);
  return page;
}

Status OaiPmhHarvester::harvest_set(const std::string& set, HarvestSummary& summary) {
  const std::string key = cursor_key(set);
  auto stored = store_.get_state(key);
  if (!stored) return stored.error();
  Cursor cursor = *stored ? Cursor::parse(**stored) : Cursor{};
  std::string from = options_.from.empty() ? cursor.completed : options_.from;
  const std::string label = set.empty() ? options_.base_url : options_.base_url + " set " + set;

  if (!cursor.token.empty() && cursor.run_from == from && cursor.run_until == options_.until) {
    spdlog::info("OAI-PMH {}: resuming an interrupted harvest at resumptionToken {}", label, cursor.token);
    summary.resumed = true;
  } else {
    cursor.token.clear();
    cursor.run_from = from;
    cursor.run_until = options_.until;
    cursor.run_max_datestamp.clear();
  }
  int restarts = 0;
  while (true) {
    if (options_.stop != nullptr && options_.stop->load()) {
      summary.interrupted = true;
      return Status::ok();
    }
    std::string url = list_url(set, cursor);
    auto page = fetch_page(url, summary);
    if (!page) {
      if (page.error().code() == StatusCode::kCancelled) {
        summary.interrupted = true;
        return Status::ok();
      }
      return page.error();
    }
    if (page->error_code == "badResumptionToken" && !cursor.token.empty() && restarts < options_.max_restarts) {
      // OAI-PMH §3.5: tokens expire; the list is restartable from the datestamp it began with.
      // Pages already stored come again and upsert as unchanged: nothing is duplicated.
      spdlog::warn("OAI-PMH: badResumptionToken from {}; restarting from {}", url,
                   cursor.run_from.empty() ? "the beginning" : cursor.run_from);
      ++restarts;
      ++summary.restarts;
      cursor.token.clear();
      continue;
    }
    bool no_records = page->error_code == "noRecordsMatch";  // OAI-PMH §3.6: an empty result
    if (!page->error_code.empty() && !no_records) {
      return Status::invalid_argument("OAI-PMH error " + page->error_code + " from " + url + ": " +
                                      page->error_message);
    }
    ++summary.pages;
    summary.records += page->records;
    summary.deleted += page->deleted;
    summary.rejected += static_cast<std::int64_t>(page->rejected.size());
    for (const auto& r : page->rejected) {
      if (options_.on_reject) {
        options_.on_reject(url, r);
      } else {
        spdlog::warn("OAI-PMH {}: record {} skipped: {}", url, r.identifier.empty() ? "(no identifier)" : r.identifier,
                     r.message);
      }
    }
    if (page->max_datestamp > cursor.run_max_datestamp) cursor.run_max_datestamp = page->max_datestamp;
    bool last = no_records || page->is_last();
    if (last) {
      if (cursor.run_max_datestamp > cursor.completed) cursor.completed = cursor.run_max_datestamp.substr(0, 10);
      cursor.token.clear();
      cursor.run_max_datestamp.clear();
    } else {
      cursor.token = page->resumption_token;
    }
    store::WriteBatch batch;
    batch.papers = std::move(page->papers);
    batch.state.emplace_back(key, cursor.dump());
    auto applied = store_.apply(batch);
    if (!applied) return applied.error().with_context("storing OAI-PMH page " + url);
    summary.inserted += applied->inserted;
    summary.updated += applied->updated;
    summary.unchanged += applied->unchanged;
    summary.stale += applied->stale;
    spdlog::info("OAI-PMH {}: page {} stored: {} records ({} new, {} updated){}", label, summary.pages,
                 page->records, applied->inserted, applied->updated, last ? "; list complete" : "");
    if (last) {
      if (cursor.completed > summary.last_datestamp) summary.last_datestamp = cursor.completed;
      return Status::ok();
    }
  }
}

Result<HarvestSummary> OaiPmhHarvester::run() {
  auto started = std::chrono::steady_clock::now();
  HarvestSummary summary;
  std::vector<std::string> sets = options_.sets.empty() ? std::vector<std::string>{""} : options_.sets;
  for (const auto& set : sets) {
    if (Status s = harvest_set(set, summary); !s.is_ok()) return fail(s);
    if (summary.interrupted) break;
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace paperboy::ingest
