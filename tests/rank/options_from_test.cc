// The ranking part's options from a configuration written as a user would write it (TOML).
#include "rank/options_from.h"

#include <gtest/gtest.h>

namespace paperboy::rank {
namespace {

TEST(RankOptionsFrom, WindowAndNeighboursReachTheRecommender) {
  config::Config c;
  ASSERT_TRUE(config::apply_config_text(c, "[recommend]\nwindow_days = 45\nneighbours = 120\n", "t.toml").is_ok());
  RecommenderOptions o = recommender_options_from(c);
  EXPECT_EQ(o.window_days, 45);
  EXPECT_EQ(o.neighbours_per_seed, 120);
  EXPECT_EQ(o.max_seeds, RecommenderOptions{}.max_seeds);  // not configurable: the default
}

}  // namespace
}  // namespace paperboy::rank
