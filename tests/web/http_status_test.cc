// The one mapping from Status to HTTP (web/http_status.cc): every code, and the wait a rate limit
// carries surviving added context.
#include "web/http_status.h"

#include <gtest/gtest.h>

namespace paperboy::web {
namespace {

TEST(HttpStatus, EveryCodeHasTheStatusItsMeaningNeeds) {
  EXPECT_EQ(http_status(Status::ok()), 200);
  EXPECT_EQ(http_status(Status::invalid_argument("x")), 400);
  EXPECT_EQ(http_status(Status::unauthenticated("x")), 401);
  EXPECT_EQ(http_status(Status::permission_denied("x")), 403);
  EXPECT_EQ(http_status(Status::not_found("x")), 404);
  EXPECT_EQ(http_status(Status::already_exists("x")), 409);
  EXPECT_EQ(http_status(Status::conflict("x")), 409);
  EXPECT_EQ(http_status(Status::resource_exhausted("x")), 413);
  EXPECT_EQ(http_status(Status::quota_exceeded("x")), 409);
  EXPECT_EQ(http_status(Status::rate_limited("x", 5)), 429);
  EXPECT_EQ(http_status(Status::unavailable("x")), 503);
  EXPECT_EQ(http_status(Status::storage_full("x")), 507);
  EXPECT_EQ(http_status(Status::io_error("x")), 500);
  EXPECT_EQ(http_status(Status::cancelled("x")), 500);
  EXPECT_EQ(http_status(Status::internal("x")), 500);
}

TEST(HttpStatus, ErrorPagesHaveOneHeadingPerStatus) {
  EXPECT_EQ(error_heading(404), "Not found");
  EXPECT_EQ(error_heading(405), "Method not allowed");
  EXPECT_EQ(error_heading(409), "Cannot be done");
  EXPECT_EQ(error_heading(429), "Slow down");
  EXPECT_EQ(error_heading(500), "Something went wrong");
  EXPECT_EQ(error_heading(599), "Something went wrong");
}

TEST(HttpStatus, ARateLimitKeepsItsWaitThroughContext) {
  Status s = Status::rate_limited("too many sign-ups", 42).with_context("sign up");
  EXPECT_EQ(s.code(), StatusCode::kRateLimited);
  EXPECT_EQ(s.retry_after_s(), 42);
  EXPECT_EQ(s.message(), "sign up: too many sign-ups");
  EXPECT_EQ(Status::not_found("x").retry_after_s(), 0);
}

}  // namespace
}  // namespace paperboy::web
