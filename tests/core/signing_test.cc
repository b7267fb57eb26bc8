#include "core/signing.h"

#include <gtest/gtest.h>

namespace paperboy::core {
namespace {

Signer make_signer(const std::string& key = generate_signing_key_hex()) {
  auto s = Signer::make(key);
  EXPECT_TRUE(s.has_value());
  return *s;
}

TEST(Signing, TokenRoundTripsItsSubjectBeforeExpiry) {
  Signer s = make_signer();
  std::string token = s.sign("unsubscribe", "ada@example.org", 2000);
  auto subject = s.verify(token, "unsubscribe", 1999);
  ASSERT_TRUE(subject.has_value()) << subject.error().to_string();
  EXPECT_EQ(*subject, "ada@example.org");
  EXPECT_EQ(token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
            std::string::npos);
}

TEST(Signing, SubjectsWithNewlinesSurvive) {
  Signer s = make_signer();
  auto subject = s.verify(s.sign("p", "a\nb", 10), "p", 0);
  ASSERT_TRUE(subject.has_value());
  EXPECT_EQ(*subject, "a\nb");
}

TEST(Signing, ExpiredTokenIsRefused) {
  Signer s = make_signer();
  auto r = s.verify(s.sign("confirm", "x", 100), "confirm", 101);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kPermissionDenied);
}

TEST(Signing, TokenForAnotherPurposeIsRefused) {
  Signer s = make_signer();
  auto r = s.verify(s.sign("confirm", "x", 100), "unsubscribe", 0);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("purpose"), std::string::npos);
}

TEST(Signing, TokenFromAnotherKeyIsRefused) {
  Signer a = make_signer(), b = make_signer();
  EXPECT_FALSE(b.verify(a.sign("confirm", "x", 100), "confirm", 0).has_value());
}

TEST(Signing, TamperedSubjectOrMacIsRefused) {
  Signer s = make_signer();
  std::string token = s.sign("unsubscribe", "ada@example.org", 100);
  // Re-encode the payload for someone else while keeping the original MAC.
  std::string forged = s.sign("unsubscribe", "eve@example.org", 100);
  std::string spliced = forged.substr(0, forged.find('.')) + token.substr(token.find('.'));
  EXPECT_FALSE(s.verify(spliced, "unsubscribe", 0).has_value());
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(s.verify(flipped, "unsubscribe", 0).has_value());
}

TEST(Signing, MalformedTokensAreClearErrorsNotCrashes) {
  Signer s = make_signer();
  for (std::string_view bad : {"", ".", "abc", "abc.", ".abc", "!!!.???", "a.b.c"}) {
    auto r = s.verify(bad, "p", 0);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(Signing, BadKeysAreRejected) {
  EXPECT_FALSE(Signer::make("").has_value());
  EXPECT_FALSE(Signer::make(std::string(64, 'z')).has_value());
  EXPECT_FALSE(Signer::make(std::string(62, 'a')).has_value());
  EXPECT_TRUE(Signer::make(std::string(64, 'a')).has_value());
  EXPECT_NE(generate_signing_key_hex(), generate_signing_key_hex());
}

}  // namespace
}  // namespace paperboy::core
