#include "rank/options_from.h"

namespace paperboy::rank {

RecommenderOptions recommender_options_from(const config::Config& config) {
  RecommenderOptions o;
  o.window_days = config.recommend.window_days;
  o.neighbours_per_seed = config.recommend.neighbours;
  return o;
}

}  // namespace paperboy::rank
