package kz.freedomid.device;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.freedomid.login.LoginFlow;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.login.SessionService;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.Ui;

/**
 * The {@code /device} page (RFC 8628 §3.3): a signed-in user enters the user code shown on the device, sees which
 * partner asks for what, and approves or denies. Even a remembered consent is confirmed here, because a user code can
 * be phished: the partner's name is what tells the user whose device they are letting in.
 */
public final class DeviceRoutes {
    private static final List<String> DONE = List.of("approved", "denied");

    private final DeviceFlow flow;
    private final SessionService sessions;
    private final LoginFlow login;
    private final Pages pages;

    public DeviceRoutes(DeviceFlow flow, SessionService sessions, LoginFlow login, Pages pages) {
        this.flow = flow;
        this.sessions = sessions;
        this.login = login;
        this.pages = pages;
    }

    public void register(RoutesConfig routes) {
        routes.get("/device", this::enter);
        routes.post("/device", ctx -> withSignedIn(ctx, this::confirm));
        routes.post("/device/decision", ctx -> withSignedIn(ctx, this::decide));
    }

    private interface Step {
        void handle(Context ctx, SessionService.Current current);
    }

    /** The code form, prefilled from verification_uri_complete; signs the user in first and comes back here. */
    private void enter(Context ctx) {
        String done = ctx.queryParam("done");
        if (done != null && DONE.contains(done)) {
            pages.message(ctx, 200, "device.done.title", "device.done." + done);
            return;
        }
        String typed = UserCodes.normalize(ctx.queryParam("user_code")).map(UserCodes::display).orElse("");
        Optional<SessionService.Current> current = signedIn(ctx);
        if (current.isEmpty()) {
            LoginFlow.Link link = login.createAccountLink(typed.isEmpty() ? "/device" : "/device?user_code=" + typed);
            ctx.redirect("/login?track_id=" + link.trackId(), HttpStatus.SEE_OTHER);
            return;
        }
        renderEntry(ctx, current.get(), typed, null, 200);
    }

    private void confirm(Context ctx, SessionService.Current current) {
        String typed = Optional.ofNullable(ctx.formParam("user_code")).orElse("");
        Optional<DeviceFlow.Pending> pending = flow.pending(typed);
        if (pending.isEmpty()) {
            renderEntry(ctx, current, typed.length() > 32 ? "" : typed, errorKey(typed), 400);
            return;
        }
        Ui ui = pages.ui(ctx, current.csrfToken());
        List<String> grants = pending.get().grants().stream().filter(g -> g != Grant.OPENID)
                .map(g -> ui.t().get("grant." + g.wireName())).toList();
        pages.render(ctx, 200, "device/confirm.jte", Map.of("ui", ui, "userCode", pending.get().userCode(),
                "partnerName", pending.get().partner().name(), "grants", grants));
    }

    private void decide(Context ctx, SessionService.Current current) {
        String typed = Optional.ofNullable(ctx.formParam("user_code")).orElse("");
        boolean approve = "approve".equals(ctx.formParam("decision"));
        if (flow.decide(typed, current.session(), approve, ctx.ip())) {
            ctx.redirect("/device?done=" + (approve ? "approved" : "denied"), HttpStatus.SEE_OTHER);
        } else {
            renderEntry(ctx, current, "", errorKey(typed), 400);
        }
    }

    private String errorKey(String typed) {
        if (UserCodes.normalize(typed).isEmpty()) return "device.error.malformed";
        return switch (flow.whyNotPending(typed)) {
            case EXPIRED -> "device.error.expired";
            case DECIDED -> "device.error.used";
            case UNKNOWN -> "device.error.unknown";
        };
    }

    /** Every form post: a signed-in session and its CSRF token; otherwise nothing happens. */
    private void withSignedIn(Context ctx, Step step) {
        Optional<SessionService.Current> current = signedIn(ctx);
        if (current.isEmpty() || !SessionService.csrfMatches(current.get().handle(), ctx.formParam("csrf"))) {
            pages.message(ctx, 403, "error.title", "error.csrf");
            return;
        }
        step.handle(ctx, current.get());
    }

    private Optional<SessionService.Current> signedIn(Context ctx) {
        return sessions.find(ctx.cookie(LoginRoutes.SESSION_COOKIE)).filter(c -> c.session().signedIn());
    }

    private void renderEntry(Context ctx, SessionService.Current current, String typed, String errorKey, int status) {
        Ui ui = pages.ui(ctx, current.csrfToken());
        Map<String, Object> params = new HashMap<>();
        params.put("ui", ui);
        params.put("userCode", typed);
        params.put("error", errorKey == null ? "" : ui.t().get(errorKey));
        pages.render(ctx, status, "device/enter.jte", params);
    }

}
