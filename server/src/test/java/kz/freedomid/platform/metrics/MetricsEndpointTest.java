package kz.freedomid.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contract 6: Prometheus metrics at {@code GET /metrics}, each family counting what really happened. */
class MetricsEndpointTest {
    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tokenCountersMoveByExactlyOnePerExchangeRefreshAndRevocation() {
        String code = Flows.codeFrom(server, partner, List.of("read.firstname"));
        String before = scrape();

        Flows.Tokens tokens = Flows.exchange(server, partner, code);
        String afterExchange = scrape();
        assertThat(delta(before, afterExchange, "freedom_id_tokens_issued_total", "grant", "authorization_code")).isEqualTo(1);
        assertThat(delta(before, afterExchange, "freedom_id_tokens_refreshed_total")).isZero();

        Http.Response refreshed = server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(tokens.refreshToken()), null, null);
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        String afterRefresh = scrape();
        assertThat(delta(afterExchange, afterRefresh, "freedom_id_tokens_refreshed_total")).isEqualTo(1);
        assertThat(delta(afterExchange, afterRefresh, "freedom_id_tokens_issued_total", "grant", "authorization_code")).isZero();

        Http.Response revoked = server.http().send("POST", "/api/v1/oidc/revoke", partner.basic(),
                "application/x-www-form-urlencoded",
                ("token=" + URLEncoder.encode(refreshed.json().get("refresh_token").asText(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(delta(afterRefresh, scrape(), "freedom_id_tokens_revoked_total", "kind", "client")).isEqualTo(1);
    }

    @Test
    void clientCredentialsCountAsTheirOwnGrant() {
        String before = scrape();
        Http.Response response = server.http().send("POST", "/api/v1/oidc/token", partner.basic(),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(delta(before, scrape(), "freedom_id_tokens_issued_total", "grant", "client_credentials")).isEqualTo(1);
    }

    @Test
    void requestTimerIsLabelledWithTheRouteTemplateNeverTheRawPath() {
        Flows.Tokens tokens = Flows.exchange(server, partner, Flows.codeFrom(server, partner, List.of("read.firstname")));
        String before = scrape();
        assertThat(server.http().get("/api/v1/oauth/user", Http.bearer(tokens.accessToken())).status()).isEqualTo(200);
        assertThat(server.http().get("/api/v1/oauth/user", Http.bearer("x".repeat(128))).status()).isEqualTo(401);
        assertThat(server.http().get("/no/such/page-4f1a05c", null).status()).isEqualTo(404);
        assertThat(server.http().get("/assets/app.css", null).status()).isEqualTo(200);
        String after = scrape();

        String[] ok = {"method", "GET", "route", "/api/v1/oauth/user", "status", "200"};
        assertThat(delta(before, after, "http_server_requests_seconds_count", ok)).isEqualTo(1);
        assertThat(value(after, "http_server_requests_seconds_sum", ok)).isPositive();
        assertThat(delta(before, after, "http_server_requests_seconds_count",
                "method", "GET", "route", "/api/v1/oauth/user", "status", "401")).isEqualTo(1);
        assertThat(delta(before, after, "http_server_requests_seconds_count",
                "method", "GET", "route", "unmatched", "status", "404")).isEqualTo(1);
        assertThat(delta(before, after, "http_server_requests_seconds_count",
                "method", "GET", "route", "/assets/*", "status", "200")).isEqualTo(1);
        assertThat(after).doesNotContain("page-4f1a05c").doesNotContain("app.css");
        // A few service-level buckets rather than a full histogram: the 1 s bucket holds every request so far.
        assertThat(value(after, "http_server_requests_seconds_bucket", "method", "GET",
                "route", "/api/v1/oauth/user", "status", "200", "le", "1.0")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void signInsAreCountedByOutcomeAndMethodAndOtpsBySending() {
        String before = scrape();
        Flows.codeFrom(server, partner, List.of("read.firstname")); // one SMS code sent, one sign-in by code

        var user = Flows.user(server, "right-password-9");
        Browser browser = server.browser();
        Browser.Page phonePage = browser.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        Browser.Page passwordPage = browser.submit(phonePage, "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        Browser.Page wrong = browser.submit(passwordPage, "/login/password", Map.of("password", "wrong-password-9"));
        assertThat(wrong.status()).isNotEqualTo(303);
        String after = scrape();

        assertThat(delta(before, after, "freedom_id_signins_total", "method", "sms", "outcome", "success")).isEqualTo(1);
        assertThat(delta(before, after, "freedom_id_signins_total", "method", "pwd", "outcome", "failure")).isEqualTo(1);
        assertThat(delta(before, after, "freedom_id_signins_total", "method", "pwd", "outcome", "success")).isZero();
        assertThat(delta(before, after, "freedom_id_otps_total", "result", "sent")).isEqualTo(1);
    }

    @Test
    void poolJobsAndJvmFamiliesArePublished() {
        System.gc(); // Micrometer holds gauge state weakly unless told otherwise: a collected one reads NaN
        String scrape = scrape();
        assertThat(value(scrape, "hikaricp_connections_max", "pool", "freedom-id")).isEqualTo(16);
        assertThat(value(scrape, "hikaricp_connections_active", "pool", "freedom-id")).isGreaterThanOrEqualTo(0);
        assertThat(scrape).contains("hikaricp_connections_acquire_seconds_count{pool=\"freedom-id\"}");
        assertThat(value(scrape, "freedom_id_jobs_queued")).isGreaterThanOrEqualTo(0);
        assertThat(value(scrape, "freedom_id_jobs_failing")).isGreaterThanOrEqualTo(0);
        assertThat(value(scrape, "jvm_memory_used_bytes", "area", "heap", "id", "G1 Eden Space")).isPositive();
        assertThat(value(scrape, "jvm_threads_live_threads")).isPositive();
        assertThat(value(scrape, "jvm_classes_loaded_classes")).isPositive();
        assertThat(value(scrape, "system_cpu_count")).isPositive();
        assertThat(value(scrape, "process_uptime_seconds")).isPositive();
        assertThat(scrape).contains("jvm_gc_");
    }

    private static String scrape() {
        Http.Response response = server.http().get("/metrics", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        return response.body();
    }

    private static double delta(String before, String after, String name, String... labels) {
        return valueOrZero(after, name, labels) - valueOrZero(before, name, labels);
    }

    private static double value(String scrape, String name, String... labels) {
        String series = series(name, labels);
        return Arrays.stream(scrape.split("\n")).filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not in\n" + scrape));
    }

    private static double valueOrZero(String scrape, String name, String... labels) {
        String series = series(name, labels);
        return scrape.lines().anyMatch(line -> line.startsWith(series + " ")) ? value(scrape, name, labels) : 0;
    }

    /** Callers pass labels in the order the scrape writes them: by name, a histogram's {@code le} last. */
    private static String series(String name, String... labels) {
        if (labels.length == 0) return name;
        return name + "{" + java.util.stream.IntStream.range(0, labels.length / 2)
                .mapToObj(i -> labels[2 * i] + "=\"" + labels[2 * i + 1] + "\"").collect(Collectors.joining(",")) + "}";
    }
}
