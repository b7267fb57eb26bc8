// The community part's options from the configuration (the `community` section): one place that
// turns config rows into AccountOptions and SubmissionOptions. The option table has already held
// every value to its range, so these cannot fail.
#pragma once

#include "community/accounts.h"
#include "community/submissions.h"
#include "config/config.h"

namespace paperboy::community {

// Password hashing cost, login/sign-up/reset limits.
[[nodiscard]] AccountOptions account_options_from(const config::Config& config);
// Paper submissions: how old a paper may be, how many an account submits per hour.
[[nodiscard]] SubmissionOptions submission_options_from(const config::Config& config);

}  // namespace paperboy::community
