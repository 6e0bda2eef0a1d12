package kz.freedomid.account;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.login.LoginFlow;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.login.SessionService;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.web.Messages;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.Ui;
import kz.freedomid.user.User;

/**
 * The user's account page (contract section 5) at {@code /account}: signed in through the same login pages as the
 * partner flow. Plain forms with the session's CSRF token; each action redirects back with a notice (post/redirect/get).
 */
public final class AccountRoutes {
    public record Field(String label, String value) {}

    public record PartnerRow(String clientId, String name, String grants, String since, String lastUsed) {}

    public record SessionRow(String id, String device, String ip, String started, String lastSeen, boolean current) {}

    private static final List<String> NOTICES = List.of("partner_revoked", "session_ended", "password_changed", "profile_saved");
    private static final List<String> PROFILE_FIELDS = List.of("firstname", "lastname", "patronymic", "date_of_birth",
            "gender", "country", "nationality", "email", "phones", "emails");

    private final AccountService account;
    private final SessionService sessions;
    private final LoginFlow loginFlow;
    private final Pages pages;

    public AccountRoutes(AccountService account, SessionService sessions, LoginFlow loginFlow, Pages pages) {
        this.account = account;
        this.sessions = sessions;
        this.loginFlow = loginFlow;
        this.pages = pages;
    }

    public void register(RoutesConfig routes) {
        routes.get("/account", this::home);
        routes.get("/account/profile", this::editProfile);
        routes.post("/account/profile", ctx -> withSignedIn(ctx, this::saveProfile));
        routes.post("/account/partners/revoke", ctx -> withSignedIn(ctx, this::revokePartner));
        routes.post("/account/sessions/end", ctx -> withSignedIn(ctx, this::endSession));
        routes.post("/account/password", ctx -> withSignedIn(ctx, this::changePassword));
        routes.post("/account/logout", ctx -> withSignedIn(ctx, this::logout));
    }

    private interface Action {
        void handle(Context ctx, SessionService.Current current, User user);
    }

    private void home(Context ctx) {
        Optional<SessionService.Current> current = signedIn(ctx);
        if (current.isEmpty()) {
            LoginFlow.Link link = loginFlow.createAccountLink("/account");
            ctx.redirect("/login?track_id=" + link.trackId(), HttpStatus.SEE_OTHER);
            return;
        }
        String done = ctx.queryParam("done");
        render(ctx, current.get(), 200, done != null && NOTICES.contains(done) ? "account.done." + done : null, null);
    }

    private void editProfile(Context ctx) {
        Optional<SessionService.Current> current = signedIn(ctx);
        if (current.isEmpty()) {
            ctx.redirect("/account", HttpStatus.SEE_OTHER);
            return;
        }
        Optional<AccountService.Overview> overview = account.overview(current.get().session().userId(), current.get().session().id());
        if (overview.isEmpty()) {
            pages.message(ctx, 403, "error.title", "account.error.unavailable");
            return;
        }
        User user = overview.get().user();
        var extras = account.extras(user.id());
        Map<String, String> values = new HashMap<>();
        values.put("firstname", nullToEmpty(user.firstname()));
        values.put("lastname", nullToEmpty(user.lastname()));
        values.put("patronymic", nullToEmpty(user.patronymic()));
        values.put("date_of_birth", user.dateOfBirth() == null ? "" : user.dateOfBirth().toString());
        values.put("gender", nullToEmpty(user.gender()));
        values.put("country", nullToEmpty(user.country()));
        values.put("nationality", nullToEmpty(user.nationality()));
        values.put("email", nullToEmpty(user.email()));
        values.put("phones", String.join("\n", extras.phones()));
        values.put("emails", String.join("\n", extras.emails()));
        renderProfileForm(ctx, current.get(), user, values, java.util.Set.of(), null, 200);
    }

    private void saveProfile(Context ctx, SessionService.Current current, User user) {
        Map<String, String> values = new HashMap<>();
        for (String field : PROFILE_FIELDS) values.put(field, Optional.ofNullable(ctx.formParam(field)).orElse(""));
        AccountService.ProfileForm form = new AccountService.ProfileForm(values.get("firstname"), values.get("lastname"),
                values.get("patronymic"), values.get("date_of_birth"), values.get("gender"), values.get("country"),
                values.get("nationality"), values.get("email"), lines(values.get("phones")), lines(values.get("emails")));
        switch (account.updateProfile(user.id(), form)) {
            case AccountService.ProfileOutcome.Saved saved -> ctx.redirect("/account?done=profile_saved", HttpStatus.SEE_OTHER);
            case AccountService.ProfileOutcome.Invalid invalid -> {
                java.util.Set<String> fields = new java.util.HashSet<>();
                invalid.fields().forEach(f -> fields.add(f.split("\\.", 2)[0])); // phones.1 marks the phones field
                renderProfileForm(ctx, current, user, values, fields, "account.profile.invalid", 422);
            }
            case AccountService.ProfileOutcome.EmailTaken taken ->
                    renderProfileForm(ctx, current, user, values, java.util.Set.of("email"), "account.profile.email_taken", 409);
        }
    }

    private void renderProfileForm(Context ctx, SessionService.Current current, User user, Map<String, String> values,
                                   java.util.Set<String> invalid, String errorKey, int status) {
        Ui ui = pages.ui(ctx, current.csrfToken());
        Map<String, Object> model = new HashMap<>();
        model.put("ui", ui);
        model.put("phone", ui.t().phone(user.phone()));
        model.put("values", values);
        model.put("invalid", invalid);
        model.put("countries", Countries.in(ui.lang()));
        model.put("error", errorKey == null ? "" : ui.t().get(errorKey));
        pages.render(ctx, status, "account/profile.jte", model);
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private void revokePartner(Context ctx, SessionService.Current current, User user) {
        Optional<UUID> clientId = PartnerService.parseUuid(ctx.formParam("client_id"));
        clientId.ifPresent(id -> account.revokePartner(user.id(), id));
        ctx.redirect("/account?done=partner_revoked", HttpStatus.SEE_OTHER);
    }

    private void endSession(Context ctx, SessionService.Current current, User user) {
        Optional<UUID> sessionId = PartnerService.parseUuid(ctx.formParam("session_id"));
        if (sessionId.isPresent() && sessionId.get().equals(current.session().id())) {
            logout(ctx, current, user);
            return;
        }
        sessionId.ifPresent(id -> account.endSession(user.id(), id));
        ctx.redirect("/account?done=session_ended", HttpStatus.SEE_OTHER);
    }

    private void changePassword(Context ctx, SessionService.Current current, User user) {
        AccountService.PasswordChange outcome = account.changePassword(user, ctx.formParam("current_password"),
                ctx.formParam("new_password"));
        if (outcome == AccountService.PasswordChange.CHANGED) {
            ctx.redirect("/account?done=password_changed", HttpStatus.SEE_OTHER);
            return;
        }
        int status = outcome == AccountService.PasswordChange.WRONG_CURRENT ? 401 : 422;
        render(ctx, current, status, null, "account.error." + outcome.name().toLowerCase(java.util.Locale.ROOT));
    }

    private void logout(Context ctx, SessionService.Current current, User user) {
        account.logout(user.id(), current.session().id());
        ctx.removeCookie(LoginRoutes.SESSION_COOKIE, "/");
        pages.message(ctx, 200, "logout.done.title", "logout.done.text");
    }

    private void withSignedIn(Context ctx, Action action) {
        Optional<SessionService.Current> current = signedIn(ctx);
        if (current.isEmpty()) {
            ctx.redirect("/account", HttpStatus.SEE_OTHER);
            return;
        }
        if (!SessionService.csrfMatches(current.get().handle(), ctx.formParam("csrf"))) {
            pages.message(ctx, 403, "error.title", "error.csrf");
            return;
        }
        Optional<AccountService.Overview> overview = account.overview(current.get().session().userId(), current.get().session().id());
        if (overview.isEmpty()) {
            pages.message(ctx, 403, "error.title", "account.error.unavailable");
            return;
        }
        action.handle(ctx, current.get(), overview.get().user());
    }

    private Optional<SessionService.Current> signedIn(Context ctx) {
        return sessions.find(ctx.cookie(LoginRoutes.SESSION_COOKIE)).filter(c -> c.session().signedIn());
    }

    private void render(Context ctx, SessionService.Current current, int status, String noticeKey, String errorKey) {
        Optional<AccountService.Overview> found = account.overview(current.session().userId(), current.session().id());
        if (found.isEmpty()) {
            pages.message(ctx, 403, "error.title", "account.error.unavailable");
            return;
        }
        AccountService.Overview overview = found.get();
        Ui ui = pages.ui(ctx, current.csrfToken());
        Messages.Texts t = ui.t();
        Map<String, Object> model = new HashMap<>();
        model.put("ui", ui);
        model.put("profile", profile(overview.user(), t));
        model.put("hasPassword", overview.user().hasPassword());
        model.put("partners", overview.partners().stream().map(p -> new PartnerRow(p.clientId().toString(), p.name(),
                String.join(", ", p.grants().stream().filter(g -> g != Grant.OPENID).map(g -> t.get("grant." + g.wireName())).toList()),
                t.dateTime(p.since()), p.lastUsed() == null ? t.get("account.partners.never_used") : t.dateTime(p.lastUsed())))
                .toList());
        model.put("sessions", overview.sessions().stream().map(s -> new SessionRow(s.id().toString(), device(s.userAgent(), t),
                s.ip() == null ? "" : s.ip().replaceAll("^\\[(.*)]$", "$1"), t.dateTime(s.startedAt()), t.dateTime(s.lastSeenAt()),
                s.id().equals(current.session().id()))).toList());
        model.put("notice", noticeKey == null ? "" : t.get(noticeKey));
        model.put("error", errorKey == null ? "" : t.get(errorKey));
        pages.render(ctx, status, "account/home.jte", model);
    }

    private List<Field> profile(User user, Messages.Texts t) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(t.get("grant.read.phone"), t.phone(user.phone())));
        fields.add(new Field(t.get("grant.read.firstname"), nullToEmpty(user.firstname())));
        fields.add(new Field(t.get("grant.read.lastname"), nullToEmpty(user.lastname())));
        fields.add(new Field(t.get("grant.read.patronymic"), nullToEmpty(user.patronymic())));
        fields.add(new Field(t.get("grant.read.date_of_birth"), user.dateOfBirth() == null ? ""
                : user.dateOfBirth().format(java.time.format.DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.LONG)
                        .withLocale(java.util.Locale.forLanguageTag(t.lang())))));
        fields.add(new Field(t.get("grant.read.gender"), user.gender() == null ? "" : t.get("account.gender." + user.gender().toLowerCase(java.util.Locale.ROOT))));
        fields.add(new Field(t.get("grant.read.country"), user.country() == null ? "" : Countries.in(t.lang()).stream()
                .filter(c -> c.code().equals(user.country())).map(Countries.Country::name).findFirst().orElse(user.country())));
        fields.add(new Field(t.get("grant.read.nationality"), nullToEmpty(user.nationality())));
        fields.add(new Field(t.get("grant.read.email"), nullToEmpty(user.email())));
        var extras = account.extras(user.id());
        fields.add(new Field(t.get("grant.read.phones"), String.join(", ", extras.phones().stream().map(t::phone).toList())));
        fields.add(new Field(t.get("grant.read.emails"), String.join(", ", extras.emails())));
        return fields;
    }

    private static String device(String userAgent, Messages.Texts t) {
        Devices.Device device = Devices.describe(userAgent);
        if (device.browser() == null && device.system() == null) return t.get("account.device.unknown");
        if (device.browser() == null || device.system() == null) return device.browser() == null ? device.system() : device.browser();
        return t.format("account.device.on", device.browser(), device.system());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
