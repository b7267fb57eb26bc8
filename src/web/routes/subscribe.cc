// E-mail digest subscription pages: the subscribe form (GET/POST /subscribe), the JSON API
// (POST /api/subscriptions → 202), confirmation (/subscribe/confirm?token=), unsubscribe
// (/unsubscribe?token=: GET shows a one-click button so link scanners that prefetch cannot
// unsubscribe anyone; POST unsubscribes, which is also RFC 8058's one-click POST from mail
// clients) and the digest preview (/digest/preview?token=). The work is in mail::SubscriptionService;
// without one (no mail configured) the pages say subscriptions are unavailable and store nothing.
#include "mail/subscriptions.h"
#include "web/csrf.h"
#include "web/routes/common.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

// Link failures, worded for the person who clicked: forged or altered, expired, or gone.
Status link_error(const Status& s) {
  switch (s.code()) {
    case StatusCode::kPermissionDenied:
      return Status::permission_denied(
          "This link has expired. Subscribe again from any listing page to get a new one.");
    case StatusCode::kNotFound: return Status::not_found("This subscription no longer exists.");
    case StatusCode::kInvalidArgument:
      return Status::invalid_argument(
          "This link is not valid: it is incomplete or was altered. Use the link from the "
          "mail exactly as it is.");
    default: return s;
  }
}

std::string token_param(const Request& req) {
  return req.has_param("token") ? req.get_param_value("token") : "";
}

Reply page(RouteContext& ctx, const Request& req, int status, const std::string& heading,
           const std::vector<std::string>& paragraphs, nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json model = {{"title", heading}, {"heading", heading}, {"paragraphs", paragraphs}};
  model.update(extra);
  personalise(ctx, req, model);
  return Reply{.status = status, .body = ctx.views.page("subscribe", model), .max_age_s = 0};
}

Reply unavailable(RouteContext& ctx, const Request& req) {
  return page(ctx, req, 200, "E-mail digests are not available",
              {"Subscriptions are not available on this server, so nothing was stored: your address was not saved "
               "or sent anywhere.",
               "Follow the daily papers with the Atom or RSS feed linked at the bottom of every page."});
}

// Categories from repeated and comma-separated `cat` form fields.
std::vector<std::string> form_categories(const Request& req) {
  std::vector<std::string> out;
  for (size_t i = 0; i < req.get_param_value_count("cat"); ++i) {
    std::string v = req.get_param_value("cat", i);
    size_t pos = 0;
    while (pos <= v.size()) {
      size_t comma = std::min(v.find(',', pos), v.size());
      std::string c = v.substr(pos, comma - pos);
      while (!c.empty() && c.front() == ' ') c.erase(0, 1);
      while (!c.empty() && c.back() == ' ') c.pop_back();
      if (!c.empty()) out.push_back(c);
      pos = comma + 1;
    }
  }
  return out;
}

const std::vector<std::string> kCheckInbox = {
    "If the address is right, a confirmation mail is on its way. Nothing is sent until you follow its link.",
    "Already subscribed? Then nothing changes and no further mail is sent."};

// Without a mail server the subscription is stored and its confirmation mail waits in the outbox:
// say so rather than claim a mail was sent (DESIGN.md: never claim what did not happen).
constexpr const char* kNoMailServer =
    "This server has no mail server configured yet, so no mail was sent. The confirmation mail waits until the "
    "operator sets one up, and nothing is sent until you follow its link.";

}  // namespace

void add_subscribe_routes(RouteContext& ctx) {
  mail::SubscriptionService* service = ctx.options.subscriptions;

  ctx.post("/api/subscriptions", [&ctx, service](const Request& req) -> Result<Reply> {
    if (service == nullptr) return fail(Status::unavailable("e-mail digests are not configured on this server"));
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return fail(Status::invalid_argument("the body must be a JSON object"));
    store::SubscriptionRequest r;
    try {
      r.email = body.value("email", "");
      r.frequency = body.value("frequency", "");
      r.kind = body.value("kind", "");
      if (body.contains("categories")) r.categories = body["categories"].get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
      return fail(Status::invalid_argument("email, frequency and kind must be strings, categories a list of strings"));
    }
    if (Status s = service->subscribe(std::move(r)); !s.is_ok()) return fail(s);
    return Reply{.status = 202,
                 .body = nlohmann::json{{"status", "pending_confirmation"},
                                        {"message", ctx.options.is_mail_configured
                                                        ? "check your inbox for a confirmation mail"
                                                        : "stored; no mail server is configured yet, so the "
                                                          "confirmation mail waits until there is one"}}
                             .dump(),
                 .content_type = "application/json",
                 .max_age_s = 0};
  });

  // The form page. The listing pages' box comes here by GET with what was typed (those pages are
  // shared-cached, so they cannot carry a per-client CSRF token); this page adds one.
  auto form_page = [&ctx](const Request& req, int status, const std::string& heading,
                          std::vector<std::string> paragraphs) {
    Reply reply{.status = status, .max_age_s = 0};
    if (!ctx.options.is_mail_configured) paragraphs.emplace_back(kNoMailServer);
    nlohmann::json model = {{"title", heading},
                            {"heading", heading},
                            {"paragraphs", paragraphs},
                            {"show_form", true},
                            {"csrf", ctx.csrf->token_for(req, reply)},
                            {"email", req.get_param_value("email")},
                            {"daily", req.get_param_value("frequency") == "daily"},
                            {"by_category", req.get_param_value("kind") == "categories"},
                            {"cats", [&] {
                               std::string joined;
                               for (const auto& c : form_categories(req)) joined += (joined.empty() ? "" : ", ") + c;
                               return joined;
                             }()}};
    personalise(ctx, req, model);
    reply.body = ctx.views.page("subscribe", model);
    return reply;
  };

  ctx.get("/subscribe", [&ctx, service, form_page](const Request& req) -> Result<Reply> {
    if (service == nullptr) return unavailable(ctx, req);
    return form_page(req, 200, "Get papers in your inbox",
                     {"A daily or weekly mail with trending papers or the newest papers in the categories you "
                      "choose."});
  });

  ctx.post("/subscribe", [&ctx, service, form_page](const Request& req) -> Result<Reply> {
    if (service == nullptr) return unavailable(ctx, req);
    if (Status s = ctx.csrf->check(req); !s.is_ok()) return fail(s);
    store::SubscriptionRequest r{req.get_param_value("email"), req.get_param_value("frequency"),
                                 req.get_param_value("kind"), form_categories(req)};
    if (Status s = service->subscribe(std::move(r)); !s.is_ok()) {
      if (s.code() != StatusCode::kInvalidArgument) return fail(s);
      return form_page(req, 400, "Please check the form", {s.message()});
    }
    if (!ctx.options.is_mail_configured) {
      return page(ctx, req, 200, "Subscription saved, no mail sent yet",
                  {kNoMailServer, "Already subscribed? Then nothing changes."});
    }
    return page(ctx, req, 200, "Check your inbox", kCheckInbox);
  });

  // Confirming on GET is deliberate: it only does what the address's owner asked for, is
  // idempotent, and is what "the mail's link confirms" needs in every mail client.
  auto confirm = [&ctx, service](const Request& req) -> Result<Reply> {
    if (service == nullptr) return unavailable(ctx, req);
    auto sub = service->confirm(token_param(req));
    if (!sub) return fail(link_error(sub.error()));
    if (sub->status != store::SubscriptionStatus::kConfirmed) {
      return page(ctx, req, 409, "This subscription cannot be confirmed",
                  {"It was cancelled (" + std::string(store::subscription_status_name(sub->status)) +
                   "). Subscribe again to start over."});
    }
    return page(ctx, req, 200, "Subscription confirmed",
                {"The " + sub->frequency + " digest will be sent to " + sub->email + ".",
                 "Every digest has a one-click unsubscribe link."});
  };
  ctx.get("/subscribe/confirm", confirm);
  ctx.post("/subscribe/confirm", confirm);

  ctx.get("/unsubscribe", [&ctx, service](const Request& req) -> Result<Reply> {
    if (service == nullptr) return unavailable(ctx, req);
    std::string token = token_param(req);
    auto sub = service->resolve(token, mail::LinkPurpose::kUnsubscribe);
    if (!sub) return fail(link_error(sub.error()));
    return page(ctx, req, 200, "Unsubscribe from Paperboy digests?",
                {"Stop sending the " + sub->frequency + " digest to " + sub->email + "."},
                {{"action", "/unsubscribe"}, {"token", token}, {"button", "Unsubscribe"}});
  });

  // RFC 8058 §3.2: the mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe URL
  // (token in the query); the button above posts the token in the form. Both unsubscribe at once.
  ctx.post("/unsubscribe", [&ctx, service](const Request& req) -> Result<Reply> {
    if (service == nullptr) return unavailable(ctx, req);
    auto sub = service->unsubscribe(token_param(req));
    if (!sub) return fail(link_error(sub.error()));
    return page(ctx, req, 200, "You are unsubscribed", {sub->email + " will get no more digests."});
  });

  ctx.get("/digest/preview", [&ctx, service](const Request& req) -> Result<Reply> {
    if (service == nullptr) return unavailable(ctx, req);
    auto html = service->preview_html(token_param(req));
    if (!html) return fail(link_error(html.error()));
    return Reply{.body = std::move(*html), .max_age_s = 0};
  });
}

}  // namespace paperboy::web
