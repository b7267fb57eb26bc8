// What the library route files (collections.cc, follows.cc, comments.cc) share: handlers that
// need an account, and the HTML fragments other pages embed (the save form and comment section of
// the paper page, follow buttons on category, author and search pages). Every rule about
// collections, follows and comments is app::LibraryService's; these only parse and render.
// Registered only when ServerOptions::library is set. Stateless: thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/library_service.h"
#include "web/routes/common.h"

namespace paperboy::web {

// A handler body that runs for a logged-in account.
using AccountHandler = std::function<Result<Reply>(const Request&, const app::Account&)>;

// A state-changing route behind signed_in(Access::kChange): Bearer token, or session cookie plus
// a valid CSRF token (form field `csrf` or X-CSRF-Token header).
[[nodiscard]] Handler acting(RouteContext& ctx, AccountHandler body);
// A personal read (My feed, my collections) behind signed_in(Access::kRead): no CSRF token.
[[nodiscard]] Handler viewing(RouteContext& ctx, AccountHandler body);

// A same-site path to go back to after a form ("back" field), or `fallback`.
[[nodiscard]] std::string back_path(const Request& req, const std::string& fallback);

// The follow/unfollow button for a category, author ("Keyname|Forenames") or saved search; a
// "log in to follow" link for anonymous visitors; "" when the library is off.
[[nodiscard]] Result<std::string> follow_button_html(RouteContext& ctx, const Request& req, app::FollowKind kind,
                                                     const std::string& value, const std::string& label);
// A comment or reply the service refused, shown again in its form with the reason (DESIGN.md:
// forms keep what was typed and show errors next to the field).
struct CommentDraft {
  std::int64_t parent_id = 0;  // 0: the new-comment form; else the reply form of that thread
  std::string body;
  std::string error;
};

// The paper page's "save to collection" form (collections.cc) and comment section (comments.cc):
// threads of a top-level comment and its replies, with a reply form per thread.
[[nodiscard]] Result<std::string> save_form_html(RouteContext& ctx, const Request& req, const std::string& paper_id);
[[nodiscard]] Result<std::string> comments_html(RouteContext& ctx, const Request& req, const std::string& paper_id,
                                                const CommentDraft* draft = nullptr);
// The paper page (paper.cc), with a refused comment back in its form when `draft` is set.
[[nodiscard]] Result<Reply> paper_page(RouteContext& ctx, const Request& req, const core::Paper& paper,
                                       const CommentDraft* draft = nullptr);
// "/users/ID": a member's profile page (profile.cc).
[[nodiscard]] std::string profile_path(std::int64_t account_id);

}  // namespace paperboy::web
