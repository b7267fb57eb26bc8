// The search part's options from a configuration written as a user would write it (TOML).
#include "search/options_from.h"

#include <gtest/gtest.h>

namespace paperboy::search {
namespace {

TEST(SearchOptionsFrom, RowsReachTheServiceAndTheIndexSitsInTheDataDir) {
  config::Config c;
  c.data_dir = "/srv/paperboy";
  ASSERT_TRUE(config::apply_config_text(c, R"([search]
dimension = 64
min_train_docs = 500
candidates = 300
ef_search = 90
persist_interval_seconds = 120
)",
                                        "t.toml")
                  .is_ok());
  SearchOptions o = search_options_from(c);
  EXPECT_EQ(o.index_dir, "/srv/paperboy/index");
  EXPECT_EQ(o.dimension, 64);
  EXPECT_EQ(o.min_train_docs, 500);
  EXPECT_EQ(o.candidates, 300);
  EXPECT_EQ(o.hnsw_ef_search, 90);
  EXPECT_EQ(o.persist_interval_seconds, 120);
  ASSERT_TRUE(config::apply_config_text(c, "[search]\nindex_dir = \"/fast/index\"\n", "t.toml").is_ok());
  EXPECT_EQ(search_options_from(c).index_dir, "/fast/index");
}

}  // namespace
}  // namespace paperboy::search
