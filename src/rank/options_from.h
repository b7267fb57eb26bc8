// The ranking part's options from the configuration (the `recommend` section). The option table
// holds window_days to 1..365 and neighbours to 1..500, so this cannot fail.
#pragma once

#include "config/config.h"
#include "rank/recommender.h"

namespace paperboy::rank {

[[nodiscard]] RecommenderOptions recommender_options_from(const config::Config& config);

}  // namespace paperboy::rank
