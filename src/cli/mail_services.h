// The mail parts of one `paperboy` process (serve, digest), built from the `mail` and `server`
// config sections over the database's mail store: signed links, the composer, the digest
// source, the SMTP sender (absent without mail.smtp_url) and the outbox. Built once at start-up;
// the members are thread-safe as their own headers say.
#pragma once

#include <memory>
#include <string>

#include "app/listing_service.h"
#include "config/config.h"
#include "mail/digest.h"
#include "mail/links.h"
#include "mail/outbox.h"
#include "mail/smtp_sender.h"
#include "rank/recommender.h"
#include "store/database.h"

namespace paperboy::cli {

struct MailServices {
  store::MailStore* mail = nullptr;  // the database's
  std::unique_ptr<mail::MailLinks> links;
  std::unique_ptr<mail::DigestComposer> composer;
  std::unique_ptr<app::ListingService> listings;  // trending digests rank as the trending page does
  std::unique_ptr<mail::StoreDigestSource> source;
  std::unique_ptr<mail::SmtpSender> sender;  // null when mail.smtp_url is empty
  std::unique_ptr<mail::DigestOutbox> outbox;
};

// `db`: the database (papers and the mail store).
// `public_url`: the base of links in mails (server.public_url, else the caller's default).
// `votes`: the community store whose upvotes rank trending digests (null: newest first, and no
// curation: papers curators hid are left out only with the community features on, as on the site).
// `personal` ranks personal digests (null: they are skipped).
[[nodiscard]] Result<std::unique_ptr<MailServices>> open_mail_services(
    const store::Database& db, const config::Config& config, const std::string& public_url,
    store::CommunityStore* votes, mail::StoreDigestSource::PersonalRanker personal = {});

// Personal digests from `recommender`: the account's best papers of the issue, each with its reason.
[[nodiscard]] mail::StoreDigestSource::PersonalRanker personal_ranker(rank::Recommender& recommender);

}  // namespace paperboy::cli
