// TrendingScore: the explainable ranking of /trending. Hacker News' gravity formula:
//   score = upvotes / (age_hours + 2) ^ 1.8
// where age_hours is the time from the paper's first version to the end of the trending period
// (the period's last listing day), so one period's ranking is stable whichever day it is read.
// Vote counts are kept incrementally by the community store (each vote updates its paper's count
// in the same transaction); the score is a pure function of (count, age), evaluated when a
// period is ranked over the papers that have votes. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/community_store.h"
#include "store/store.h"

namespace paperboy::rank {

inline constexpr double kTrendingGravity = 1.8;
inline constexpr const char* kTrendingFormula = "score = upvotes / (age_hours + 2)^1.8";

[[nodiscard]] double trending_score(std::int64_t upvotes, std::int64_t published, std::int64_t as_of);

struct TrendingEntry {
  std::string paper_id;
  std::int64_t upvotes = 0;
  double score = 0;
};

// Highest score first; ties by more votes, then newer paper id.
[[nodiscard]] std::vector<TrendingEntry> rank_trending(const std::vector<store::PaperVotes>& papers,
                                                       std::int64_t as_of);

// One page of a trending period's papers (listing days from_day..to_day, YYYY-MM-DD): the papers
// with votes ranked by rank_trending as of the end of to_day, then the rest of the period newest
// first. `cats` (empty: all) keeps papers in any of those categories; `exclude_ids` (papers hidden
// by curators) never appear. `votes` null: newest first.
// Shared by the trending page, its feeds and API, and trending e-mail digests.
[[nodiscard]] Result<std::vector<store::StoredPaper>> trending_papers(
    store::Store& store, store::CommunityStore* votes, const std::string& from_day, const std::string& to_day,
    const std::vector<std::string>& cats, int limit, int offset, const std::vector<std::string>& exclude_ids = {});

}  // namespace paperboy::rank
