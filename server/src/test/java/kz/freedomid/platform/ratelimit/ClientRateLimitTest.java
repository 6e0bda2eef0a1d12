package kz.freedomid.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-client and per-address limits on the partner API's token and authorize endpoints and on the OIDC token,
 * introspect and revoke endpoints: the format of the refusal on each face, that a refused call changes nothing, and
 * that reading the caller's credentials first leaves the body for the endpoint.
 */
class ClientRateLimitTest {
    static final AtomicInteger ADDRESSES = new AtomicInteger(1);
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of(
                "FREEDOM_ID_CLIENT_IP_HEADER", "X-Forwarded-For",
                "FREEDOM_ID_RATE_CLIENT_PER_SECOND", "1", "FREEDOM_ID_RATE_CLIENT_BURST", "3",
                "FREEDOM_ID_RATE_CLIENT_IP_PER_SECOND", "1", "FREEDOM_ID_RATE_CLIENT_IP_BURST", "5"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A caller at its own address behind the trusted proxy. */
    static Http callerAt() {
        return server.http().withHeader("X-Forwarded-For", "203.0.113." + ADDRESSES.getAndIncrement());
    }

    /** Codes are made through the API and pages as usual; then every bucket is let fill up again. */
    static String code(Flows.TestPartner partner) {
        String code = Flows.codeFrom(server, partner, List.of("read.firstname"));
        server.clock.advance(Duration.ofSeconds(10));
        return code;
    }

    static Http.Response exchange(Http http, Flows.TestPartner partner, String code) {
        return http.json("POST", "/api/v1/oauth/token", partner.basic(), Map.of("authorization_code", code));
    }

    static long pairs() {
        return server.count("SELECT COUNT(*) FROM token_pairs");
    }

    static void assertFreedom429(Http.Response response) {
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().toString()).isEqualTo("{\"error\":{\"message\":\"Too many requests.\",\"code\":100005}}");
    }

    static void assertOAuth429(Http.Response response) {
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.json().toString())
                .isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":\"Too many requests; retry later.\"}");
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static Http.Response postForm(Http http, String path, String authorization, Map<String, String> params) {
        return http.send("POST", path, authorization, "application/x-www-form-urlencoded",
                form(params).getBytes(StandardCharsets.UTF_8));
    }

    static double metric(String limit) {
        String line = server.http().get("/metrics", null).body().lines()
                .filter(l -> l.startsWith("freedom_id_rate_limited_total{") && l.contains("limit=\"" + limit + "\""))
                .findFirst().orElseThrow(() -> new AssertionError("no counter for " + limit));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void codeExchangeOverTheClientLimitGets429EnvelopeAndIssuesNothingUntilTheBucketRefills() {
        Flows.TestPartner partner = Flows.partner(server);
        List<String> codes = List.of(code(partner), code(partner), code(partner), code(partner));
        Http http = callerAt();
        long before = pairs();
        double refusedBefore = metric("client");
        for (int i = 0; i < 3; i++) {
            assertThat(exchange(http, partner, codes.get(i)).status()).isEqualTo(200);
        }

        assertFreedom429(exchange(http, partner, codes.get(3)));
        assertThat(pairs()).isEqualTo(before + 3);
        assertThat(metric("client")).isEqualTo(refusedBefore + 1);
        // Authorize draws on the same bucket of the client.
        assertFreedom429(http.json("POST", "/api/v1/oauth/authorize", partner.basic(),
                Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname"))));

        server.clock.advance(Duration.ofSeconds(1));
        assertThat(exchange(http, partner, codes.get(3)).status()).as("the refused code was not used").isEqualTo(200);
        assertThat(pairs()).isEqualTo(before + 4);
    }

    @Test
    void someoneWithTheClientIdButNotItsSecretCannotExhaustTheClientsBucket() {
        Flows.TestPartner partner = Flows.partner(server);
        String code = code(partner);
        Http stranger = callerAt();
        String forged = Http.basic(partner.clientId(), "not-the-secret");
        for (int i = 0; i < 3; i++) {
            assertThat(stranger.json("POST", "/api/v1/oauth/token", forged, Map.of("authorization_code", code)).status())
                    .isEqualTo(401);
        }
        assertFreedom429(stranger.json("POST", "/api/v1/oauth/token", forged, Map.of("authorization_code", code)));

        assertThat(exchange(callerAt(), partner, code).status()).isEqualTo(200);
    }

    @Test
    void refreshWithABearerTokenIsLimitedPerAddressAndARefusedRefreshRotatesNothing() {
        Flows.TestPartner partner = Flows.partner(server);
        Flows.Tokens tokens = Flows.exchange(server, partner, code(partner));
        server.clock.advance(Duration.ofSeconds(10));
        Http http = callerAt();
        for (int i = 0; i < 5; i++) {
            assertThat(http.send("PATCH", "/api/v1/oauth/token", Http.bearer("x".repeat(128)), null, null).status())
                    .isEqualTo(401);
        }
        assertFreedom429(http.send("PATCH", "/api/v1/oauth/token", Http.bearer(tokens.refreshToken()), null, null));
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE client_id = ? AND rotated_at IS NULL",
                java.util.UUID.fromString(partner.clientId()))).isEqualTo(1);
        // Another address is not held back by this one.
        assertThat(callerAt().json("POST", "/api/v1/oauth/authorize", partner.basic(),
                Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname"))).status()).isEqualTo(200);

        server.clock.advance(Duration.ofSeconds(1));
        Http.Response refreshed = http.send("PATCH", "/api/v1/oauth/token", Http.bearer(tokens.refreshToken()), null, null);
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
    }

    @Test
    void oidcEndpointsReadTheBodyAfterTheLimiterAndRefuseInTheOAuthFormat() {
        var registered = server.app.partners.register(new PartnerService.NewPartner("Service", List.of("https://rp.example/cb"),
                Set.of(Grant.OPENID), null, new ClientSettings(false, List.of(), null, Set.of("users:write"), "RS256")));
        String clientId = registered.partner().clientId().toString();
        String secret = registered.clientSecret();
        Http http = callerAt();
        long before = pairs();

        // client_secret_post in a form, then in JSON, then Basic: the endpoint still reads the credentials the limiter read.
        Http.Response posted = postForm(http, "/api/v1/oidc/token", null,
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        Http.Response json = http.json("POST", "/api/v1/oidc/token", null,
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        String access = json.json().get("access_token").asText();
        Http.Response basic = postForm(http, "/api/v1/oidc/introspect", Http.basic(clientId, secret), Map.of("token", access));
        assertThat(basic.status()).as(basic.body()).isEqualTo(200);
        assertThat(basic.json().get("active").asBoolean()).isTrue();

        assertOAuth429(postForm(http, "/api/v1/oidc/token", null,
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret)));
        assertOAuth429(postForm(http, "/api/v1/oidc/revoke", Http.basic(clientId, secret), Map.of("token", access)));
        assertThat(pairs()).isEqualTo(before + 2);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE revoked_at IS NOT NULL AND client_id = ?",
                registered.partner().clientId())).as("the refused revocation revoked nothing").isZero();

        server.clock.advance(Duration.ofSeconds(1));
        assertThat(postForm(http, "/api/v1/oidc/revoke", Http.basic(clientId, secret), Map.of("token", access)).status())
                .isEqualTo(200);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE revoked_at IS NOT NULL AND client_id = ?",
                registered.partner().clientId())).isEqualTo(1);
    }

    @Test
    void ipv6CallersCountPerSlash64() {
        for (int i = 1; i <= 5; i++) {
            Http http = server.http().withHeader("X-Forwarded-For", "2001:db8:7:7::" + i);
            assertThat(http.send("PATCH", "/api/v1/oauth/token", Http.bearer("x".repeat(128)), null, null).status()).isEqualTo(401);
        }
        Http sameNetwork = server.http().withHeader("X-Forwarded-For", "2001:db8:7:7:a:b:c:d");
        assertFreedom429(sameNetwork.send("PATCH", "/api/v1/oauth/token", Http.bearer("x".repeat(128)), null, null));
        Http nextNetwork = server.http().withHeader("X-Forwarded-For", "2001:db8:7:8::1");
        assertThat(nextNetwork.send("PATCH", "/api/v1/oauth/token", Http.bearer("x".repeat(128)), null, null).status())
                .isEqualTo(401);
    }

    @Test
    void manyCallsFromOneAddressAreRefusedWhateverTheClient() {
        Http http = callerAt();
        for (int i = 0; i < 5; i++) {
            Flows.TestPartner partner = Flows.partner(server);
            assertThat(http.json("POST", "/api/v1/oauth/authorize", partner.basic(),
                    Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname"))).status()).isEqualTo(200);
        }
        Flows.TestPartner fresh = Flows.partner(server);
        long links = server.count("SELECT COUNT(*) FROM login_tracks");
        assertFreedom429(http.json("POST", "/api/v1/oauth/authorize", fresh.basic(),
                Map.of("redirect_uri", fresh.redirectUri(), "grants", List.of("read.firstname"))));
        assertOAuth429(postForm(http, "/api/v1/oidc/token", null, Map.of("grant_type", "client_credentials")));
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks")).isEqualTo(links);
        // Reading an endpoint's own errors is not a token call and is not limited.
        assertThat(http.get("/api/v1/errors", null).status()).isEqualTo(200);
    }
}
