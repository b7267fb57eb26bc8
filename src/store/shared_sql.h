// SQL text that both Store backends run verbatim (SQLite and PostgreSQL read it alike), so the
// listings, counts and statistics of the two cannot drift apart. Parameter-free fragments only:
// placeholders differ (? vs $1) and stay in each backend. Constants; thread-safe.
#pragma once

#include <string_view>

namespace paperboy::store::sql {

// The columns every paper read selects, in the order both backends' read_paper() expect.
inline constexpr std::string_view kPaperColumns =
    "doc_id, change_seq, id, title, abstract, authors, categories, comments, journal_ref, doi, report_no, "
    "license, submitter, versions, update_date";
// The order of every listing page; doc_id breaks ties so pages never overlap.
inline constexpr std::string_view kNewestFirst = " ORDER BY listing_day DESC, published DESC, doc_id DESC";
// The upsert's look-up of what is stored (see upsert_rules.h: StoredSummary).
inline constexpr std::string_view kStoredSummaryColumns = "doc_id, latest_version, update_date, content_hash, versions";

inline constexpr std::string_view kMaxChangeSeq = "SELECT COALESCE(MAX(change_seq), 0) FROM papers";
inline constexpr std::string_view kNewestListingDay = "SELECT COALESCE(MAX(listing_day), '') FROM papers";
inline constexpr std::string_view kStatsTotals =
    "SELECT COUNT(*), COALESCE(MAX(change_seq),0), COALESCE(MIN(listing_day),''), COALESCE(MAX(listing_day),'') "
    "FROM papers";
inline constexpr std::string_view kCountByPrimaryCategory =
    "SELECT primary_category, COUNT(*) AS n FROM papers GROUP BY primary_category ORDER BY n DESC, primary_category";
inline constexpr std::string_view kCountByMonth =
    "SELECT substr(listing_day, 1, 7) AS m, COUNT(*) FROM papers GROUP BY m ORDER BY m";
inline constexpr std::string_view kAllState = "SELECT key, value FROM state ORDER BY key";

}  // namespace paperboy::store::sql
