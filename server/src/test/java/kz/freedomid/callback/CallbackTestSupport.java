package kz.freedomid.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.MutableClock;
import kz.freedomid.testing.TestServer;

/** A partner's receiver on 127.0.0.1, and the steps from signing in through /openid to logging out. */
final class CallbackTestSupport {
    static final String REDIRECT = "https://rp.example/cb";
    static final int HANG = -1;

    private CallbackTestSupport() {}

    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers the n-th request (from 1) with {@code statuses.applyAsInt(n)}: a status, or {@link #HANG}. */
    static final class Receiver implements AutoCloseable {
        final List<Received> requests = new CopyOnWriteArrayList<>();
        final HttpServer server;
        private final CountDownLatch release = new CountDownLatch(1);
        volatile IntUnaryOperator statuses;

        Receiver(IntUnaryOperator statuses) {
            this(statuses, 0);
        }

        Receiver(IntUnaryOperator statuses, int port) {
            this.statuses = statuses;
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                requests.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
                int status = statuses.applyAsInt(requests.size());
                if (status == HANG) {
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                    return;
                }
                if (status / 100 == 3) exchange.getResponseHeaders().add("Location", url("/elsewhere"));
                byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        int count() {
            return requests.size();
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }

    record Client(String clientId, String secret) {}

    record SignedIn(Browser browser, String idToken, UUID sessionId, UUID pairId) {}

    static Client register(TestServer server, String revokeUri, String backchannelUri) {
        var settings = new ClientSettings(false, List.of(), backchannelUri, Set.of(), "RS256");
        var registered = server.app.partners.register(new PartnerService.NewPartner("Callback RP", List.of(REDIRECT),
                Set.of(Grant.OPENID, Grant.READ_FIRSTNAME), revokeUri, settings));
        return new Client(registered.partner().clientId().toString(), registered.clientSecret());
    }

    /** A new user signs in to {@code client} through /openid and the code is exchanged; the pair and session ids. */
    static SignedIn signIn(TestServer server, Browser browser, Client client) {
        Browser.Page toLogin = browser.get("/openid?" + form(authorizeRequest(client)));
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        String back = Flows.approvedRedirect(server, browser, toLogin.location(), Flows.newPhone());
        return exchange(server, browser, client, back);
    }

    /** The same browser session signs in to {@code client} again (consenting when asked). */
    static SignedIn signInAgain(TestServer server, Browser browser, Client client) {
        Browser.Page page = browser.get("/openid?" + form(authorizeRequest(client)));
        for (int hops = 0; page.status() == 303 && page.location().startsWith("/") && hops < 5; hops++) {
            page = page.location().startsWith("/login/consent")
                    ? browser.submit(browser.follow(page), "/login/consent", Map.of("decision", "approve"))
                    : browser.follow(page);
        }
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location()).startsWith(REDIRECT);
        return exchange(server, browser, client, page.location());
    }

    private static Map<String, String> authorizeRequest(Client client) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", client.clientId());
        request.put("redirect_uri", REDIRECT);
        request.put("scope", "openid read.firstname");
        request.put("state", "s1");
        request.put("nonce", "n1");
        return request;
    }

    private static SignedIn exchange(TestServer server, Browser browser, Client client, String back) {
        String code = Flows.query(back).get("code");
        assertThat(code).as(back).isNotNull();
        Http.Response tokens = server.http().send("POST", "/api/v1/oidc/token", Http.basic(client.clientId(), client.secret()),
                "application/x-www-form-urlencoded", form(Map.of("grant_type", "authorization_code", "code", code,
                        "redirect_uri", REDIRECT)).getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        var row = server.app.database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, session_id FROM token_pairs WHERE access_hash = :hash")
                .bind("hash", kz.freedomid.platform.Secrets.sha256(tokens.json().get("access_token").asText()))
                .map((rs, ctx) -> List.of(rs.getObject("id", UUID.class), rs.getObject("session_id", UUID.class))).one());
        assertThat(browser.cookie(LoginRoutes.SESSION_COOKIE)).isNotNull();
        return new SignedIn(browser, tokens.json().get("id_token").asText(), row.get(1), row.get(0));
    }

    /** RP-initiated logout with the id_token_hint of the current session: ends it at once; returns how long it took. */
    static Duration logout(SignedIn signedIn) {
        long start = System.nanoTime();
        Browser.Page page = signedIn.browser().get("/api/v1/oidc/logout?" + form(Map.of("id_token_hint", signedIn.idToken())));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return took;
    }

    static String form(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> {
            if (!out.isEmpty()) out.append('&');
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    /**
     * Polls until the condition holds, at most {@code seconds}; fails with {@code what} otherwise. The server's clock
     * moves 10 ms per 20 ms poll, as a real one would: db-scheduler's poller waits on the injected clock, so with a
     * frozen clock it could sleep until the test advanced it again.
     */
    static void await(MutableClock clock, String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            clock.advance(Duration.ofMillis(10));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Jobs of this task still queued, and how many of them last failed. */
    static long queued(TestServer server, String task) {
        return server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ?", task);
    }

    static long queuedInstance(TestServer server, String instance) {
        return server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ?", instance);
    }

    static long failing(TestServer server, String task) {
        return server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ? AND consecutive_failures > 0", task);
    }

    static JWKSet jwks(TestServer server) {
        try {
            return JWKSet.parse(server.http().get("/api/v1/oidc/jwks", null).body());
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** Puts the base64url body between the dots of the detached JWS and verifies it with the JWKS key of its kid. */
    static void assertSignatureVerifies(TestServer server, String signature, byte[] body) throws Exception {
        assertThat(signature).isNotNull();
        String[] parts = signature.split("\\.", -1);
        assertThat(parts).hasSize(3);
        assertThat(parts[1]).as("payload detached").isEmpty();
        JWSObject jws = JWSObject.parse(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(body)
                + "." + parts[2]);
        assertThat(jws.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        JWK key = jwks(server).getKeyByKeyId(jws.getHeader().getKeyID());
        assertThat(key).as("kid published").isNotNull();
        assertThat(jws.verify(verifier(key))).as("signature over the exact body").isTrue();
    }

    static com.nimbusds.jose.JWSVerifier verifier(JWK key) throws Exception {
        return key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier(key.toRSAKey());
    }
}
