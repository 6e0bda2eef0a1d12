package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract 6: three {@code serve} processes on one PostgreSQL behave as one server: a sign-in hops between them, a
 * token from one is refreshed or revoked on another, and a key rotated on one is published by all. (Jobs running once
 * across processes is {@code CallbackTwoProcessesTest}.) PostgreSQL only: several nodes share only PostgreSQL.
 */
class SeveralNodesTest {
    private static final String ADMIN_TOKEN = "several-nodes-admin-token-0123456789abcdef";
    private static final String PASSWORD = "several-nodes-pass-1";

    static TestServer setup;
    static Flows.TestPartner partner;
    static User user;
    static final List<ChildJvm.Started> processes = new ArrayList<>();
    static final List<String> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        setup = TestServer.startReachableFromOtherProcesses();
        partner = Flows.partner(setup, Grant.READ_FIRSTNAME);
        user = Flows.user(setup, PASSWORD);
        setup.app.close(); // only the three processes below serve from here on

        var config = setup.app.config;
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        Map<String, String> env = new HashMap<>(Map.of("FREEDOM_ID_DB_URL", config.dbUrl(), "FREEDOM_ID_DB_USER",
                config.dbUser(), "FREEDOM_ID_DB_PASSWORD", config.dbPassword(), "FREEDOM_ID_DATA_DIR",
                config.dataDir().toString(), "FREEDOM_ID_MASTER_KEY", config.masterKey(),
                // The address a load balancer would have; every node must be given the same one.
                "FREEDOM_ID_ISSUER", "http://localhost:" + ports.get(0), "FREEDOM_ID_ADMIN_TOKEN", ADMIN_TOKEN));
        env.putAll(Map.of("FREEDOM_ID_RATE_OTP_PER_IP_HOUR", "1000000", "FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", "1000000",
                "FREEDOM_ID_RATE_CLIENT_PER_SECOND", "1000000", "FREEDOM_ID_RATE_CLIENT_IP_PER_SECOND", "1000000"));
        for (int port : ports) {
            env.put("FREEDOM_ID_PORT", String.valueOf(port));
            processes.add(ChildJvm.start(env, "serve"));
            nodes.add("http://localhost:" + port);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!nodes.stream().allMatch(SeveralNodesTest::ready)) {
            if (System.nanoTime() > deadline) throw new AssertionError("nodes not ready: " + processes.get(0).stderr());
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChildJvm.Started process : processes) {
            process.process().destroy();
            process.process().waitFor(20, TimeUnit.SECONDS);
        }
        setup.close();
    }

    @Test
    void passwordSignInStartedOnOneNodeCompletesOnTheOthers() {
        Flows.Tokens tokens = signIn("password");
        assertThat(userInfo(2, tokens.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void smsCodeSentByOneNodeIsAcceptedByAnother() {
        Flows.Tokens tokens = signIn("otp");
        assertThat(userInfo(0, tokens.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void tokenIssuedOnOneNodeIsRefreshedOnAnotherAndTheOldOneDiesEverywhere() {
        Flows.Tokens tokens = signIn("password"); // exchanged on node 0

        Http.Response refreshed = http(1).send("PATCH", "/api/v1/oauth/token", Http.bearer(tokens.refreshToken()), null, null);

        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        for (int node = 0; node < 3; node++) {
            assertThat(userInfo(node, tokens.accessToken()).status()).as("old access token on node " + node).isEqualTo(401);
            assertThat(userInfo(node, refreshed.json().get("access_token").asText()).status()).isEqualTo(200);
        }
    }

    @Test
    void tokenRevokedOnOneNodeIsRefusedByTheOthersAtOnce() {
        Flows.Tokens tokens = signIn("password");
        assertThat(userInfo(0, tokens.accessToken()).status()).as("accepted on node 0 first").isEqualTo(200);

        Http.Response revoked = form(1, "/api/v1/oidc/revoke", Map.of("token", tokens.accessToken()));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

        // The very next request, with no wait at all: nothing on node 0 or 2 remembers the token as live.
        assertThat(userInfo(0, tokens.accessToken()).status()).isEqualTo(401);
        assertThat(userInfo(2, tokens.accessToken()).status()).isEqualTo(401);
        JsonNode introspection = form(2, "/api/v1/oidc/introspect", Map.of("token", tokens.accessToken())).json();
        assertThat(introspection.get("active").asBoolean()).isFalse();
    }

    @Test
    void keysRotatedOnOneNodeArePublishedByEveryNodeAtOnce() {
        Http.Response rotated = http(2).json("POST", "/admin/api/v1/keys/rotate", Http.bearer(ADMIN_TOKEN), Map.of());
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        Set<String> newKids = StreamSupport.stream(rotated.json().get("keys").spliterator(), false)
                .filter(k -> "next".equals(k.get("state").asText())).map(k -> k.get("kid").asText()).collect(Collectors.toSet());
        assertThat(newKids).hasSize(2); // RS256 and ES256

        // Every node keeps the keys in memory and hears of the rotation through PostgreSQL (LISTEN/NOTIFY) within
        // milliseconds; the new keys sign only after their lead time, long after every node publishes them.
        for (int node = 0; node < 3; node++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!kids(node).containsAll(newKids) && System.nanoTime() < deadline) Thread.onSpinWait();
            assertThat(kids(node)).as("JWKS of node " + node + " within 2 s").containsAll(newKids);
        }
    }

    /**
     * Link created on node 0, phone page fetched from node 0, phone submitted to node 1, the secret (password or SMS
     * code read from node 1, which sent it) to node 2, consent on node 0 and 1; the code is exchanged on node 0.
     */
    private static Flows.Tokens signIn(String method) {
        Http.Response authorized = http(0).json("POST", "/api/v1/oauth/authorize", partner.basic(),
                Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname")));
        assertThat(authorized.status()).as(authorized.body()).isEqualTo(200);
        java.net.URI linkUri = java.net.URI.create(authorized.json().get("redirect_uri").asText());
        String link = linkUri.getRawPath() + "?" + linkUri.getRawQuery();
        Browser onA = new Browser(nodes.get(0));
        Browser.Page phonePage = onA.get(link);
        assertThat(phonePage.status()).as(phonePage.body()).isEqualTo(200);
        Browser.Page secretPage = onA.at(nodes.get(1)).submit(phonePage, "/login/phone",
                Map.of("phone", user.phone(), "method", method));
        assertThat(secretPage.status()).as(secretPage.body()).isEqualTo(200);
        Browser.Page signedIn = "otp".equals(method)
                ? onA.at(nodes.get(2)).submit(secretPage, "/login/code", Map.of("code", outboxCode(1, user.phone())))
                : onA.at(nodes.get(2)).submit(secretPage, "/login/password", Map.of("password", PASSWORD));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        Browser.Page page = signedIn;
        if (page.location().startsWith("/login/consent")) {
            Browser.Page consent = onA.follow(page);
            assertThat(consent.status()).as(consent.body()).isEqualTo(200);
            page = onA.at(nodes.get(1)).submit(consent, "/login/consent", Map.of("decision", "approve"));
            assertThat(page.status()).as(page.body()).isEqualTo(303);
        }
        String code = Flows.query(page.location()).get("authorization_code");
        assertThat(code).as(page.location()).isNotNull();
        Http.Response exchanged = http(0).json("POST", "/api/v1/oauth/token", partner.basic(), Map.of("authorization_code", code));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        JsonNode json = exchanged.json();
        return new Flows.Tokens(json.get("id").asText(), json.get("access_token").asText(), json.get("refresh_token").asText());
    }

    /** The dev outbox is each node's own memory (a development aid only): the code is read where it was sent. */
    private static String outboxCode(int node, String phone) {
        Http.Response outbox = http(node).get("/dev/outbox?to=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
        assertThat(outbox.status()).as(outbox.body()).isEqualTo(200);
        JsonNode entries = outbox.json();
        assertThat(entries.size()).as(outbox.body()).isGreaterThan(0);
        return entries.get(entries.size() - 1).get("code").asText();
    }

    private static Set<String> kids(int node) {
        JsonNode jwks = http(node).get("/api/v1/oidc/jwks", null).json();
        return StreamSupport.stream(jwks.get("keys").spliterator(), false).map(k -> k.get("kid").asText())
                .collect(Collectors.toSet());
    }

    private static Http.Response userInfo(int node, String accessToken) {
        return http(node).get("/api/v1/oauth/user", Http.bearer(accessToken));
    }

    private static Http.Response form(int node, String path, Map<String, String> params) {
        String body = params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http(node).send("POST", path, partner.basic(), "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static Http http(int node) {
        return new Http(nodes.get(node));
    }

    private static boolean ready(String node) {
        try {
            return new Http(node).get("/health/ready", null).status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
