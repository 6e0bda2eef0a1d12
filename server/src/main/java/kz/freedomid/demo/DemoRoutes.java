package kz.freedomid.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.login.SessionService;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.Secrets;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.Ui;

/**
 * A tiny partner served by the server itself in development mode. It talks to the partner API over HTTP with its
 * own credentials, exactly as a real partner backend would.
 */
public final class DemoRoutes {
    private static final String STATE_COOKIE = "demo_state";
    private static final List<String> GRANTS = List.of("read.firstname", "read.lastname", "read.phone", "read.email",
            "read.date_of_birth");

    private final DemoSeed.DemoPartner partner;
    private final Pages pages;
    private final IntSupplier localPort;
    private final SessionService sessions;
    private final boolean https;
    private final kz.freedomid.platform.Lazy<HttpClient> http =
            new kz.freedomid.platform.Lazy<>(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());

    public DemoRoutes(DemoSeed.DemoPartner partner, Pages pages, IntSupplier localPort, SessionService sessions, boolean https) {
        this.sessions = sessions;
        this.https = https;
        this.partner = partner;
        this.pages = pages;
        this.localPort = localPort;
    }

    public void register(RoutesConfig routes) {
        routes.get("/demo", this::home);
        routes.post("/demo/start", this::start);
        routes.get("/demo/callback", this::callback);
    }

    private void home(Context ctx) {
        SessionService.Current session = session(ctx);
        pages.render(ctx, 200, "demo/home.jte", Map.of("ui", pages.ui(ctx, session.csrfToken())));
    }

    /**
     * Asks Freedom ID for a login link (3.1) and sends the browser there, bound to a state cookie. The form carries the
     * session's CSRF token like every other form: a foreign page cannot start sign-ins (and overwrite the state cookie).
     */
    private void start(Context ctx) throws IOException, InterruptedException {
        SessionService.Current session = session(ctx);
        if (session.created() || !SessionService.csrfMatches(session.handle(), ctx.formParam("csrf"))) {
            pages.message(ctx, 403, "error.title", "error.csrf");
            return;
        }
        String state = new Secrets(new java.security.SecureRandom()).alphanumeric(32);
        JsonNode link = call("POST", "/api/v1/oauth/authorize", basic(),
                Json.write(Map.of("redirect_uri", partner.redirectUri(), "grants", GRANTS, "state", state)));
        Cookie cookie = new Cookie(STATE_COOKIE, state);
        cookie.setPath("/demo");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.LAX);
        ctx.cookie(cookie);
        ctx.redirect(link.path("redirect_uri").asText(), HttpStatus.SEE_OTHER);
    }

    /** Exchanges the code (3.3) and reads the user (3.5). */
    private void callback(Context ctx) throws IOException, InterruptedException {
        Ui ui = pages.ui(ctx, null);
        String expectedState = ctx.cookie(STATE_COOKIE);
        String errorCode = ctx.queryParam("error_code");
        String code = ctx.queryParam("authorization_code");
        if (errorCode != null || code == null || expectedState == null
                || !Secrets.constantTimeEquals(expectedState, ctx.queryParam("state"))) {
            String shown = errorCode != null ? errorCode : "state";
            pages.render(ctx, 400, "demo/callback.jte", Map.of("ui", ui, "error", ui.t().format("demo.callback.error", shown),
                    "pair", Map.of(), "user", ""));
            return;
        }
        ctx.removeCookie(STATE_COOKIE, "/demo");
        JsonNode pair = call("POST", "/api/v1/oauth/token", basic(), Json.write(Map.of("authorization_code", code)));
        JsonNode user = call("GET", "/api/v1/oauth/user", "Bearer " + pair.path("access_token").asText(), null);
        Map<String, String> shownPair = new LinkedHashMap<>();
        shownPair.put("id", pair.path("id").asText());
        shownPair.put("access_expire_at", pair.path("access_expire_at").asText());
        shownPair.put("refresh_expire_at", pair.path("refresh_expire_at").asText());
        pages.render(ctx, 200, "demo/callback.jte", Map.of("ui", ui, "error", "", "pair", shownPair,
                "user", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(user)));
    }

    private SessionService.Current session(Context ctx) {
        SessionService.Current current = sessions.findOrCreate(ctx.cookie(LoginRoutes.SESSION_COOKIE), ctx.userAgent(), ctx.ip());
        if (current.created()) ctx.cookie(LoginRoutes.sessionCookie(current.handle(), https));
        return current;
    }

    private JsonNode call(String method, String path, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort.getAsInt() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.get().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("demo partner call " + path + " answered " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (partner.clientId() + ":" + partner.clientSecret()).getBytes(StandardCharsets.UTF_8));
    }
}
