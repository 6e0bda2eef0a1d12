package kz.freedomid.platform.ratelimit;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.freedomid.platform.ErrorHandling;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.platform.RequestIds;
import kz.freedomid.platform.ratelimit.RateLimiter.Limit;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.Ui;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before-handlers that refuse a caller over its limit before the endpoint runs, so a refused request changes nothing:
 * 429 with {@code Retry-After} in whole seconds, in the format of the face it hit (contract 2: 100005 on the partner
 * API; an OAuth error on OIDC; a page on the sign-in pages). The per-phone rules (one code a minute, five an hour,
 * five tries per code, the growing password lock-out) stay with the sign-in service, which knows the phone.
 */
public final class RateLimitRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimitRoutes.class);
    /** The endpoints where clients authenticate; PATCH of the first is the refresh, with only a Bearer token. */
    static final List<String> CLIENT_ENDPOINTS = List.of("/api/v1/oauth/token", "/api/v1/oauth/authorize",
            "/api/v1/oidc/token", "/api/v1/oidc/par", "/api/v1/oidc/device", "/api/v1/oidc/introspect", "/api/v1/oidc/revoke");

    private final RateLimiter limiter;
    private final Pages pages;
    private final String clientIpHeader;

    public RateLimitRoutes(RateLimiter limiter, Pages pages, String clientIpHeader) {
        this.limiter = limiter;
        this.pages = pages;
        this.clientIpHeader = clientIpHeader;
    }

    /** Register after the before-handler that assigns request ids and before the routes it guards. */
    public void register(RoutesConfig routes) {
        routes.before("/login/phone", ctx -> {
            // Choosing the password method sends nothing; any other submission of a phone sends an SMS code.
            if (isPost(ctx) && !"password".equals(ctx.formParam("method"))) admit(ctx, Limit.OTP_SEND_PER_IP, ip(ctx), null);
        });
        routes.before("/login/code", ctx -> {
            if (isPost(ctx)) admit(ctx, Limit.SIGN_IN_PER_IP, ip(ctx), null);
        });
        routes.before("/login/password", ctx -> {
            if (isPost(ctx)) admit(ctx, Limit.SIGN_IN_PER_IP, ip(ctx), null);
        });
        // Device user codes are short by design (RFC 8628 §5.1): each typed code counts as a sign-in attempt.
        for (String path : List.of("/device", "/device/decision")) {
            routes.before(path, ctx -> {
                if (isPost(ctx)) admit(ctx, Limit.SIGN_IN_PER_IP, ip(ctx), null);
            });
        }
        for (String path : CLIENT_ENDPOINTS) {
            routes.before(path, this::clientCall);
        }
    }

    /** Per address first, so that one address cannot drain a client's bucket faster than its own allows. */
    private void clientCall(Context ctx) {
        String method = ctx.method().name();
        if (!method.equals("POST") && !method.equals("PATCH")) return;
        if (!admit(ctx, Limit.CLIENT_IP, ip(ctx), null)) return;
        Callers.Client client = Callers.client(ctx, ErrorHandling.isOidc(ctx));
        if (client != null) admit(ctx, Limit.CLIENT, client.bucketKey(), "client " + client.clientId());
    }

    private boolean admit(Context ctx, Limit limit, String key, String who) {
        Optional<Duration> wait = limiter.tryAcquire(limit, key);
        if (wait.isEmpty()) return true;
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        LOG.info("rate limited ({}) {} on {} {}: retry after {} s [{}]", limit.id, who == null ? key : who, ctx.method(),
                ctx.path(), seconds, RequestIds.of(ctx));
        ctx.header("Retry-After", String.valueOf(seconds));
        if (ErrorHandling.isOidc(ctx)) {
            // RFC 6749 has no token-endpoint code for this; temporarily_unavailable (its §4.1.2.1) says "retry later",
            // which is what the 429 and Retry-After mean, where invalid_request would tell the client its request is wrong.
            ErrorHandling.writeOAuth(ctx, OAuthException.of(429, "temporarily_unavailable", "Too many requests; retry later."));
        } else if (ErrorHandling.isApi(ctx)) {
            ErrorHandling.writeEnvelope(ctx, 429, FreedomError.RATE_LIMITED, Map.of());
        } else {
            Ui ui = pages.ui(ctx, null);
            pages.render(ctx, 429, "message.jte", Map.of("ui", ui, "title", ui.t().get("ratelimit.title"),
                    "text", ui.t().format("ratelimit.text", (seconds + 59) / 60)));
        }
        ctx.skipRemainingHandlers();
        return false;
    }

    private String ip(Context ctx) {
        return Callers.ip(ctx, clientIpHeader);
    }

    private static boolean isPost(Context ctx) {
        return ctx.method().name().equals("POST");
    }
}
