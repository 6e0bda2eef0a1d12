package kz.freedomid.login;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.Ui;
import kz.freedomid.user.ContactTakenException;
import kz.freedomid.user.NewUser;
import kz.freedomid.user.User;
import kz.freedomid.user.UserService;

/**
 * The hosted sign-in pages of contract 3.2 and 5: phone → SMS code or password → (sign-up) → consent → back to the
 * partner. Plain forms; every POST carries the CSRF token bound to the session cookie.
 */
public final class LoginRoutes {
    public static final String SESSION_COOKIE = "fid_session";

    private final LoginFlow flow;
    private final SessionService sessions;
    private final OtpService otp;
    private final UserService users;
    private final PasswordLockout lockout;
    private final Pages pages;
    private final boolean https;
    private final SignInAudit audit;

    public LoginRoutes(LoginFlow flow, SessionService sessions, OtpService otp, UserService users,
                       PasswordLockout lockout, Pages pages, boolean https, SignInAudit audit) {
        this.audit = audit;
        this.flow = flow;
        this.sessions = sessions;
        this.otp = otp;
        this.users = users;
        this.lockout = lockout;
        this.pages = pages;
        this.https = https;
    }

    public void register(RoutesConfig routes) {
        routes.get("/login", this::start);
        routes.post("/login/phone", ctx -> withTrack(ctx, this::submitPhone));
        routes.post("/login/code", ctx -> withTrack(ctx, this::submitCode));
        routes.post("/login/password", ctx -> withTrack(ctx, this::submitPassword));
        routes.post("/login/signup", ctx -> withTrack(ctx, this::submitSignup));
        routes.get("/login/consent", this::showConsent);
        routes.post("/login/consent", ctx -> withTrack(ctx, this::submitConsent));
        routes.post("/login/expired", this::returnExpired);
    }

    private interface Step {
        void handle(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session);
    }

    private void start(Context ctx) {
        LoginFlow.TrackState state = flow.open(ctx.queryParam("track_id"));
        SessionService.Current session = session(ctx);
        switch (state) {
            case LoginFlow.TrackState.Unknown u -> pages.message(ctx, 404, "error.title", "error.unknown_link");
            case LoginFlow.TrackState.Finished f -> pages.message(ctx, 410, "error.title", "error.used_link");
            case LoginFlow.TrackState.Expired e -> renderExpired(ctx, e, session);
            case LoginFlow.TrackState.Open open -> {
                if (flow.authenticationFresh(open.track(), session.session())) {
                    continueSignedIn(ctx, open, session.session());
                } else if (session.session().pendingPhone() != null) {
                    renderSignup(ctx, open, session, null, null, null, 200); // phone verified, name still missing
                } else {
                    String hint = open.track().isOidc() ? open.track().oidc().loginHint() : null;
                    renderPhone(ctx, open, session, hint, null, 200);
                }
            }
        }
    }

    private void submitPhone(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session) {
        Optional<String> phone = UserService.normalizePhone(ctx.formParam("phone"));
        if (phone.isEmpty()) {
            renderPhone(ctx, open, session, ctx.formParam("phone"), "login.phone.invalid", 422);
            return;
        }
        if ("password".equals(ctx.formParam("method"))) {
            renderPassword(ctx, open, session, phone.get(), null, 200);
            return;
        }
        var t = pages.texts(ctx);
        switch (otp.send(session.session().id(), phone.get(), t.get("sms.text"))) {
            case OtpService.SendResult.Sent s -> renderCode(ctx, open, session, phone.get(), null, t.format("login.code.sent", phone.get()), 200);
            case OtpService.SendResult.TooSoon soon -> renderCode(ctx, open, session, phone.get(), null,
                    t.format("login.code.too_soon", soon.secondsLeft()), 200);
            case OtpService.SendResult.HourlyLimit limit -> {
                ctx.header("Retry-After", String.valueOf(limit.secondsLeft()));
                renderPhone(ctx, open, session, phone.get(), "login.code.hourly_limit", 429);
            }
            case OtpService.SendResult.Failed failed -> renderPhone(ctx, open, session, phone.get(), "login.code.send_failed", 503);
        }
    }

    private void submitCode(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session) {
        Optional<String> phone = UserService.normalizePhone(ctx.formParam("phone"));
        if (phone.isEmpty()) {
            renderPhone(ctx, open, session, null, "login.phone.invalid", 422);
            return;
        }
        switch (otp.verify(session.session().id(), phone.get(), ctx.formParam("code"))) {
            case VERIFIED -> {
                Optional<User> user = users.findByPhone(phone.get());
                if (user.isPresent() && !user.get().active()) {
                    pages.message(ctx, 403, "error.title", "login.blocked"); // an operator blocked the account
                } else if (user.isPresent()) {
                    signIn(ctx, open, session, user.get(), "sms");
                } else {
                    sessions.rememberVerifiedPhone(session.session(), phone.get());
                    renderSignup(ctx, open, session, null, null, null, 200);
                }
            }
            case WRONG_CODE -> codeFailed(ctx, open, session, phone.get(), "wrong_code", "login.code.wrong");
            case NO_ATTEMPTS_LEFT -> codeFailed(ctx, open, session, phone.get(), "no_attempts_left", "login.code.no_attempts");
            case EXPIRED -> codeFailed(ctx, open, session, phone.get(), "expired", "login.code.expired");
        }
    }

    private void codeFailed(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session, String phone,
                            String reason, String messageKey) {
        audit.failed(phone, "sms", reason, open.partner(), ctx.ip());
        renderCode(ctx, open, session, phone, messageKey, null, 422);
    }

    private void submitPassword(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session) {
        Optional<String> phone = UserService.normalizePhone(ctx.formParam("phone"));
        if (phone.isEmpty()) {
            renderPhone(ctx, open, session, ctx.formParam("phone"), "login.phone.invalid", 422);
            return;
        }
        Duration locked = lockout.lockedFor(phone.get());
        if (!locked.isZero()) {
            audit.failed(phone.get(), "pwd", "locked", open.partner(), ctx.ip());
            long seconds = Math.max(1, (locked.toMillis() + 999) / 1000);
            ctx.header("Retry-After", String.valueOf(seconds));
            renderPassword(ctx, open, session, phone.get(), pages.texts(ctx).format("login.password.locked", seconds), 429);
            return;
        }
        String password = ctx.formParam("password");
        Optional<User> user = users.checkPassword(phone.get(), password == null ? "" : password);
        if (user.isEmpty()) {
            lockout.recordFailure(phone.get());
            audit.failed(phone.get(), "pwd", "wrong_password", open.partner(), ctx.ip());
            renderPassword(ctx, open, session, phone.get(), pages.texts(ctx).get("login.password.wrong"), 401);
            return;
        }
        lockout.reset(phone.get());
        signIn(ctx, open, session, user.get(), "pwd");
    }

    private void submitSignup(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session) {
        String phone = session.session().pendingPhone();
        if (phone == null) {
            renderPhone(ctx, open, session, null, "login.signup.phone_first", 409);
            return;
        }
        String firstname = trimmed(ctx.formParam("firstname"));
        String lastname = trimmed(ctx.formParam("lastname"));
        if (firstname.isEmpty() || lastname.isEmpty() || firstname.length() > 100 || lastname.length() > 100
                || hasControlCharacter(firstname) || hasControlCharacter(lastname)) {
            renderSignup(ctx, open, session, firstname, lastname, "login.signup.names_required", 422);
            return;
        }
        User user;
        try {
            user = users.create(new NewUser(phone, null, firstname, lastname, null, true, null));
            audit.registered(user, open.partner(), ctx.ip());
        } catch (ContactTakenException e) {
            // Registered meanwhile (another tab): the phone is verified in this session, so sign that user in.
            user = users.findByPhone(phone).orElseThrow();
        }
        signIn(ctx, open, session, user, "sms");
    }

    private void showConsent(Context ctx) {
        LoginFlow.TrackState state = flow.open(ctx.queryParam("track_id"));
        if (!(state instanceof LoginFlow.TrackState.Open open)) {
            ctx.redirect("/login?track_id=" + encodeTrack(ctx.queryParam("track_id")), HttpStatus.SEE_OTHER);
            return;
        }
        SessionService.Current session = session(ctx);
        if (!flow.authenticationFresh(open.track(), session.session())) {
            ctx.redirect("/login?track_id=" + open.track().id(), HttpStatus.SEE_OTHER);
            return;
        }
        Ui ui = pages.ui(ctx, session.csrfToken());
        List<String> grantLabels = open.track().grants().stream()
                .filter(g -> g != Grant.OPENID)
                .map(g -> ui.t().get("grant." + g.wireName())).toList();
        pages.render(ctx, 200, "login/consent.jte", Map.of("ui", ui, "trackId", open.track().id().toString(),
                "partnerName", open.partner().name(), "grants", grantLabels));
    }

    private void submitConsent(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session) {
        if (!flow.authenticationFresh(open.track(), session.session())) {
            ctx.redirect("/login?track_id=" + open.track().id(), HttpStatus.SEE_OTHER);
            return;
        }
        Optional<String> redirect = "approve".equals(ctx.formParam("decision"))
                ? flow.approve(open.track(), open.partner(), session.session(), ctx.ip())
                : flow.deny(open.track());
        redirectOrUsed(ctx, redirect);
    }

    private void returnExpired(Context ctx) {
        SessionService.Current session = session(ctx);
        if (!SessionService.csrfMatches(session.handle(), ctx.formParam("csrf"))) {
            pages.message(ctx, 403, "error.title", "error.csrf");
            return;
        }
        if (flow.open(ctx.formParam("track_id")) instanceof LoginFlow.TrackState.Expired expired) {
            redirectOrUsed(ctx, flow.expired(expired.track()));
        } else {
            pages.message(ctx, 410, "error.title", "error.used_link");
        }
    }

    /** Common checks for every form post of a login: CSRF, then the track's state. */
    private void withTrack(Context ctx, Step step) {
        SessionService.Current session = session(ctx);
        if (session.created() || !SessionService.csrfMatches(session.handle(), ctx.formParam("csrf"))) {
            pages.message(ctx, 403, "error.title", "error.csrf");
            return;
        }
        switch (flow.open(ctx.formParam("track_id"))) {
            case LoginFlow.TrackState.Unknown u -> pages.message(ctx, 404, "error.title", "error.unknown_link");
            case LoginFlow.TrackState.Finished f -> pages.message(ctx, 410, "error.title", "error.used_link");
            case LoginFlow.TrackState.Expired e -> renderExpired(ctx, e, session);
            case LoginFlow.TrackState.Open open -> step.handle(ctx, open, session);
        }
    }

    private void signIn(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session, User user, String amr) {
        String handle = sessions.signIn(session.session(), user.id(), amr);
        setSessionCookie(ctx, handle);
        users.recordLogin(user.id(), "sms".equals(amr));
        audit.succeeded(user, amr, open.partner(), ctx.ip());
        if (flow.consentRemembered(user.id(), open.track())) {
            WebSession signedIn = sessions.find(handle).orElseThrow().session();
            redirectOrUsed(ctx, flow.approve(open.track(), open.partner(), signedIn, ctx.ip()));
        } else {
            ctx.redirect("/login/consent?track_id=" + open.track().id(), HttpStatus.SEE_OTHER);
        }
    }

    private void continueSignedIn(Context ctx, LoginFlow.TrackState.Open open, WebSession session) {
        if (flow.consentRemembered(session.userId(), open.track())) {
            redirectOrUsed(ctx, flow.approve(open.track(), open.partner(), session, ctx.ip()));
        } else {
            ctx.redirect("/login/consent?track_id=" + open.track().id(), HttpStatus.SEE_OTHER);
        }
    }

    private void redirectOrUsed(Context ctx, Optional<String> redirect) {
        if (redirect.isPresent()) {
            ctx.redirect(redirect.get(), HttpStatus.SEE_OTHER);
        } else {
            pages.message(ctx, 410, "error.title", "error.used_link");
        }
    }

    private SessionService.Current session(Context ctx) {
        SessionService.Current current = sessions.findOrCreate(ctx.cookie(SESSION_COOKIE), ctx.userAgent(), ctx.ip());
        if (current.created()) setSessionCookie(ctx, current.handle());
        return current;
    }

    private void setSessionCookie(Context ctx, String handle) {
        ctx.cookie(sessionCookie(handle, https));
    }

    /** The session cookie, as every page that starts or uses a browser session sets it. */
    public static Cookie sessionCookie(String handle, boolean https) {
        Cookie cookie = new Cookie(SESSION_COOKIE, handle);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.LAX);
        cookie.setSecure(https);
        return cookie;
    }

    private void renderPhone(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session, String phone,
                             String errorKey, int status) {
        Ui ui = pages.ui(ctx, session.csrfToken());
        pages.render(ctx, status, "login/phone.jte", params(ui, open, "phone", phone == null ? "" : phone,
                "error", errorKey == null ? "" : ui.t().get(errorKey)));
    }

    private void renderPassword(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session, String phone,
                                String error, int status) {
        Ui ui = pages.ui(ctx, session.csrfToken());
        pages.render(ctx, status, "login/password.jte", params(ui, open, "phone", phone, "error", error == null ? "" : error));
    }

    private void renderCode(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session, String phone,
                            String errorKey, String notice, int status) {
        Ui ui = pages.ui(ctx, session.csrfToken());
        pages.render(ctx, status, "login/code.jte", params(ui, open, "phone", phone,
                "error", errorKey == null ? "" : ui.t().get(errorKey), "notice", notice == null ? "" : notice));
    }

    private void renderSignup(Context ctx, LoginFlow.TrackState.Open open, SessionService.Current session,
                              String firstname, String lastname, String errorKey, int status) {
        Ui ui = pages.ui(ctx, session.csrfToken());
        pages.render(ctx, status, "login/signup.jte", params(ui, open, "firstname", firstname == null ? "" : firstname,
                "lastname", lastname == null ? "" : lastname, "error", errorKey == null ? "" : ui.t().get(errorKey)));
    }

    private void renderExpired(Context ctx, LoginFlow.TrackState.Expired expired, SessionService.Current session) {
        Ui ui = pages.ui(ctx, session.csrfToken());
        pages.render(ctx, 410, "login/expired.jte", Map.of("ui", ui, "trackId", expired.track().id().toString(),
                "partnerName", expired.partner().name()));
    }

    private static Map<String, Object> params(Ui ui, LoginFlow.TrackState.Open open, Object... pairs) {
        Map<String, Object> params = new HashMap<>();
        params.put("ui", ui);
        params.put("trackId", open.track().id().toString());
        params.put("partnerName", open.partner().name());
        for (int i = 0; i < pairs.length; i += 2) {
            params.put((String) pairs[i], pairs[i + 1]);
        }
        return params;
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.strip();
    }

    private static String encodeTrack(String raw) {
        return raw == null ? "" : kz.freedomid.platform.Redirects.encode(raw);
    }
}
