package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.PrivatePostgres;
import kz.freedomid.testing.TestDatabases;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops for real (its own cluster, {@code pg_ctl stop -m fast}) for about 12 s under load and starts again,
 * while the same server process keeps running. While it is down every request fails fast with 503 (100503 on the
 * partner API, {@code temporarily_unavailable} on OIDC, a localized page on the hosted pages), readiness is down and
 * liveness up; afterwards the server recovers by itself (its cache-invalidation listener too), and no token pair,
 * audit entry, profile request or job is half-written or lost.
 */
class DatabaseOutageTest {
    private static final List<String> GRANTS = List.of("read.firstname", "read.phone", "read.profile");
    private static final long BOUND_MS = 6_000;
    private static final Set<String> UNAVAILABLE_PAGE = Set.of("The service is temporarily unavailable",
            "Сервис временно недоступен", "Қызмет уақытша қолжетімсіз");

    record Call(String kind, long start, long end, int status, String body) {
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(end - start);
        }

        @Override
        public String toString() {
            return kind + " " + status + " in " + millis() + " ms: " + body.substring(0, Math.min(200, body.length()));
        }
    }

    /** One refresh chain as its client sees it: the pair it holds now and how many refreshes it got a 200 for. */
    static final class Chain {
        final String grantId;
        volatile Flows.Tokens current;
        final AtomicInteger refreshed = new AtomicInteger();

        Chain(String grantId, Flows.Tokens tokens) {
            this.grantId = grantId;
            this.current = tokens;
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    private final List<Flows.Tokens> signedIn = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    @Test
    void theServerFailsFastWhileTheDatabaseIsDownAndRecoversWithNothingHalfWritten() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start()) {
            TestServer server = TestServer.startOn(new TestDatabases.TestDb(pg.url(), pg.user(), "", () -> {}),
                    Map.of("FREEDOM_ID_JOB_POLL_MS", "200"));
            Thread ticker = Thread.ofPlatform().daemon().start(() -> tick(server));
            try {
                run(server, pg);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- PostgreSQL log ---\n" + pg.log(), e);
            } finally {
                running = false;
                ticker.interrupt();
                server.close();
            }
        }
    }

    private void run(TestServer server, PrivatePostgres pg) throws Exception {
        int partnerPort = freePort(); // nothing listens there until the end: the partner is down
        Flows.TestPartner partner = partnerWithProfileKey(server, "http://127.0.0.1:" + partnerPort + "/revoke");
        List<Chain> chains = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Flows.Tokens tokens = Flows.exchange(server, partner, Flows.codeFrom(server, partner, GRANTS));
            chains.add(new Chain(grantOf(server, tokens), tokens));
        }
        Flows.Tokens reader = Flows.exchange(server, partner, Flows.codeFrom(server, partner, GRANTS));
        String page = Flows.loginLink(server, partner, GRANTS, null);

        // A revoke callback queued before the outage, to a partner that is down: its retry falls due during the outage.
        Flows.Tokens revoked = Flows.exchange(server, partner, Flows.codeFrom(server, partner, GRANTS));
        UUID revokedUser = UUID.fromString(server.http().get("/api/v1/oauth/user", Http.bearer(revoked.accessToken())).json().get("id").asText());
        server.app.sessionEnd.endAllSessionsOf(revokedUser, "logout");
        await("the first callback attempt fails while the partner is down", 20, () -> server.count(
                "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback' AND consecutive_failures > 0") == 1);

        List<Thread> load = new ArrayList<>();
        for (Chain chain : chains) load.add(worker(() -> refresh(server, chain)));
        load.add(worker(() -> record("userinfo", () -> server.http().get("/api/v1/oauth/user", Http.bearer(reader.accessToken())))));
        load.add(worker(() -> profile(server, reader)));
        load.add(worker(() -> record("page", () -> server.http().get(page, null))));
        load.add(worker(() -> signIn(server, partner)));
        load.add(worker(() -> record("introspect", () -> server.http().send("POST", "/api/v1/oidc/introspect", partner.basic(),
                "application/x-www-form-urlencoded", ("token=" + reader.accessToken()).getBytes()))));
        load.add(worker(() -> record("live", () -> server.http().get("/health/live", null))));
        load.add(worker(() -> record("ready", () -> server.http().get("/health/ready", null))));

        Thread.sleep(3_000);
        long stopping = System.nanoTime();
        pg.stop();
        long down = System.nanoTime();
        Thread.sleep(12_000);
        long starting = System.nanoTime();
        pg.begin();
        long up = System.nanoTime();
        for (String kind : List.of("refresh", "userinfo", "profile", "page", "signin", "introspect", "ready")) {
            await(kind + " succeeds again after the database is back", 20, () -> calls.stream()
                    .anyMatch(c -> c.kind().equals(kind) && c.start() > up && c.status() == 200));
        }
        int signedInBefore = signedIn.size();
        await("a whole sign-in succeeds again", 30, () -> signedIn.size() > signedInBefore);
        // Its connection ended with the outage; until it listens again, caches keep values 1 s at most (ClusterEvents).
        await("the node listens for cache invalidations again", 20, server.app.clusterEvents::listening);
        long recovered = System.nanoTime();
        Thread.sleep(2_000);
        running = false;
        for (Thread t : load) t.join(TimeUnit.SECONDS.toMillis(BOUND_MS / 1000 + 5));
        System.out.printf("outage: stop took %d ms, start %d ms, recovered %d ms after start; %d requests, %d answered 503,"
                        + " slowest %d ms; %d sign-ins, %d refreshes, %d profile requests accepted%n",
                ms(down - stopping), ms(up - starting), ms(recovered - up), calls.size(), calls.stream().filter(c -> c.status() == 503).count(),
                calls.stream().mapToLong(Call::millis).max().orElse(0), signedIn.size(), chains.stream().mapToInt(c -> c.refreshed.get()).sum(),
                accepted.size());

        // No request hangs: every one is answered within the bound, before, during and after the outage.
        assertThat(calls.stream().filter(c -> c.millis() > BOUND_MS).toList()).as("requests slower than %d ms", BOUND_MS).isEmpty();
        // Nothing but success or "unavailable": no 500 and no refresh refused because the chain broke.
        assertThat(calls.stream().filter(c -> c.status() != 200 && !unavailable(c)).toList()).as("failures other than 503").isEmpty();
        // While it is down: every database-backed request is refused as unavailable, liveness stays up.
        List<Call> during = calls.stream().filter(c -> c.start() > down && c.end() < starting).toList();
        for (String kind : List.of("refresh", "userinfo", "profile", "page", "signin", "introspect", "ready")) {
            List<Call> ofKind = during.stream().filter(c -> c.kind().equals(kind)).toList();
            assertThat(ofKind).as(kind + " during the outage").isNotEmpty().allMatch(DatabaseOutageTest::unavailable);
        }
        assertThat(during.stream().filter(c -> c.kind().equals("live")).toList()).as("liveness during the outage")
                .isNotEmpty().allMatch(c -> c.status() == 200);

        // Each chain has exactly one live pair, the one its client holds; one pair and one audit entry per refresh.
        for (Chain chain : chains) {
            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE grant_id = ? AND revoked_at IS NULL", UUID.fromString(chain.grantId)))
                    .as("live pairs of a chain").isEqualTo(1);
            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE grant_id = ? AND revoked_at IS NULL AND refresh_hash = ?",
                    UUID.fromString(chain.grantId), Secrets.sha256(chain.current.refreshToken()))).as("the live pair is the client's").isEqualTo(1);
            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE grant_id = ?", UUID.fromString(chain.grantId)))
                    .as("pairs of a chain").isEqualTo(chain.refreshed.get() + 1L);
            assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'token.refreshed' AND details LIKE ?",
                    "%" + chain.grantId + "%")).as("audit entries of a chain's refreshes").isEqualTo(chain.refreshed.get());
            Http.Response again = server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(chain.current.refreshToken()), null, null);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
        }
        assertThat(chains.stream().mapToInt(c -> c.refreshed.get()).sum()).as("refreshes before and after the outage").isGreaterThan(10);

        // Sign-ins: each one that reached its tokens has its consent; every pair of the partner has its audit entry.
        assertThat(signedIn).as("sign-ins before and after the outage").isNotEmpty();
        for (Flows.Tokens tokens : signedIn) {
            assertThat(server.count("SELECT COUNT(*) FROM consents c JOIN token_pairs t ON t.user_id = c.user_id"
                    + " AND t.client_id = c.client_id WHERE t.id = ?", UUID.fromString(tokens.id()))).as("consent of a sign-in").isEqualTo(1);
        }
        List<String> pairs = server.app.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT CAST(id AS VARCHAR(36)) FROM token_pairs WHERE client_id = :c").bind("c", UUID.fromString(partner.clientId()))
                .mapTo(String.class).list());
        for (String pair : pairs) {
            assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('token.issued', 'token.refreshed')"
                    + " AND details LIKE ?", "%\"pair_id\":\"" + pair + "\"%")).as("audit entry of pair " + pair).isEqualTo(1);
        }

        // Profile requests: each one acknowledged exists and completes; none exists that no one was told about
        // except those whose answer was lost with the connection.
        server.clock.advance(Duration.ofMinutes(4)); // a job cut off mid-run is rescued once its heartbeat is stale
        await("every accepted profile request completes", 30, () -> server.count(
                "SELECT COUNT(*) FROM profile_requests WHERE status = 'completed'") >= accepted.size()
                && server.count("SELECT COUNT(*) FROM profile_requests WHERE status = 'pending'") == 0);
        List<String> stored = server.app.database.jdbi().withHandle(h -> h.createQuery("SELECT request_id FROM profile_requests")
                .mapTo(String.class).list());
        assertThat(stored).containsAll(accepted);
        assertThat(stored.stream().filter(id -> !accepted.contains(id) && !unanswered.contains(id)).toList())
                .as("profile requests stored although the client was told they failed").isEmpty();
        assertThat(server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'profile-assemble'")).isZero();

        // The callback queued before the outage is delivered once the partner is up.
        List<String> delivered = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", partnerPort), 0);
        receiver.createContext("/", exchange -> {
            delivered.add(new String(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            server.clock.advance(Duration.ofMinutes(10)); // past the callback's backoff
            await("the revoke callback queued before the outage is delivered", 30, () -> !delivered.isEmpty());
        } finally {
            receiver.stop(0);
        }
        assertThat(delivered.get(0)).contains(revoked.id());
    }

    private void refresh(TestServer server, Chain chain) {
        Http.Response response = record("refresh",
                () -> server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(chain.current.refreshToken()), null, null));
        if (response.status() == 200) {
            var json = response.json();
            chain.current = new Flows.Tokens(json.get("id").asText(), json.get("access_token").asText(), json.get("refresh_token").asText());
            chain.refreshed.incrementAndGet();
        }
    }

    private void profile(TestServer server, Flows.Tokens reader) {
        String requestId = UUID.randomUUID().toString();
        Http.Response response = record("profile", () -> server.http().json("POST", "/api/v1/oauth/get-profile",
                Http.bearer(reader.accessToken()), Map.of("request_id", requestId)));
        if (response.status() == 200 && response.json().get("status").asText().equals("accepted")) {
            accepted.add(requestId);
        } else {
            unanswered.add(requestId);
        }
    }

    /** Sends one request and records how long it took and how it ended; a transport failure is status -1. */
    private Http.Response record(String kind, java.util.function.Supplier<Http.Response> request) {
        long start = System.nanoTime();
        Http.Response response;
        try {
            response = request.get();
        } catch (RuntimeException e) {
            calls.add(new Call(kind, start, System.nanoTime(), -1, e.toString()));
            return new Http.Response(-1, null, "");
        }
        calls.add(new Call(kind, start, System.nanoTime(), response.status(), response.body()));
        return response;
    }

    /**
     * The hosted pages' sign-in (SMS code, sign-up, consent) and the token exchange, each step recorded as "signin":
     * a step that fails ends this attempt, the client starts over.
     */
    private void signIn(TestServer server, Flows.TestPartner partner) {
        Http.Response link = record("signin", () -> server.http().json("POST", "/api/v1/oauth/authorize", partner.basic(),
                Map.of("redirect_uri", partner.redirectUri(), "grants", GRANTS)));
        if (link.status() != 200) return;
        java.net.URI login = java.net.URI.create(link.json().get("redirect_uri").asText());
        kz.freedomid.testing.Browser browser = server.browser();
        String phone = Flows.newPhone();
        var page = step(() -> browser.get(login.getRawPath() + "?" + login.getRawQuery()));
        if (page == null) return;
        final var phonePage = page;
        page = step(() -> browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp")));
        if (page == null) return;
        final var codePage = page;
        page = step(() -> browser.submit(codePage, "/login/code", Map.of("code", server.outbox(phone).get(0).code())));
        if (page == null) return;
        if (page.document().selectFirst("form[action=/login/signup]") != null) {
            final var signUp = page;
            page = step(() -> browser.submit(signUp, "/login/signup", Map.of("firstname", "Dana", "lastname", "Serikova")));
            if (page == null) return;
        }
        if (page.location() != null && page.location().startsWith("/login/consent")) {
            final var toConsent = page;
            page = step(() -> browser.follow(toConsent));
            if (page == null) return;
            final var consent = page;
            page = step(() -> browser.submit(consent, "/login/consent", Map.of("decision", "approve")));
            if (page == null) return;
        }
        String code = Flows.query(page.location()).get("authorization_code");
        Http.Response tokens = record("signin", () -> server.http().json("POST", "/api/v1/oauth/token", partner.basic(),
                Map.of("authorization_code", code)));
        if (tokens.status() != 200) return;
        var json = tokens.json();
        signedIn.add(new Flows.Tokens(json.get("id").asText(), json.get("access_token").asText(), json.get("refresh_token").asText()));
    }

    /** One page of the sign-in, recorded; null when it failed (a 303 or a 200 is how each page succeeds). */
    private kz.freedomid.testing.Browser.Page step(java.util.function.Supplier<kz.freedomid.testing.Browser.Page> request) {
        long start = System.nanoTime();
        kz.freedomid.testing.Browser.Page page;
        try {
            page = request.get();
        } catch (RuntimeException e) {
            calls.add(new Call("signin", start, System.nanoTime(), -1, e.toString()));
            return null;
        }
        boolean ok = page.status() == 200 || page.status() == 303;
        calls.add(new Call("signin", start, System.nanoTime(), ok ? 200 : page.status(), page.body()));
        return ok ? page : null;
    }

    private static boolean unavailable(Call c) {
        if (c.status() != 503) return false;
        return switch (c.kind()) {
            case "introspect" -> c.body().contains("\"temporarily_unavailable\"");
            case "page" -> UNAVAILABLE_PAGE.stream().anyMatch(c.body()::contains);
            case "signin" -> c.body().contains("\"code\":100503") || UNAVAILABLE_PAGE.stream().anyMatch(c.body()::contains);
            case "ready" -> c.body().contains("DOWN");
            default -> c.body().contains("\"code\":100503");
        };
    }

    private static String grantOf(TestServer server, Flows.Tokens tokens) {
        return server.app.database.jdbi().withHandle(h -> h.createQuery("SELECT grant_id FROM token_pairs WHERE refresh_hash = :h")
                .bind("h", Secrets.sha256(tokens.refreshToken())).mapTo(String.class).one());
    }

    private static Flows.TestPartner partnerWithProfileKey(TestServer server, String revokeUri) throws Exception {
        var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
                .algorithm(com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256).keyID("outage").generate();
        String redirectUri = "https://partner.example/callback";
        var settings = new ClientSettings(false, List.of(), null, Set.of(), "RS256", key.toPublicJWK().toJSONString());
        var registered = server.app.partners.register(
                new PartnerService.NewPartner("Outage Shop", List.of(redirectUri), Grant.all(), revokeUri, settings));
        return new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(), redirectUri);
    }

    private Thread worker(Runnable step) {
        return Thread.ofPlatform().daemon().start(() -> {
            while (running) {
                step.run();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Keeps the server's clock moving with real time: db-scheduler's poller waits on it. */
    private static void tick(TestServer server) {
        long last = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            server.clock.advance(Duration.ofNanos(now - last));
            last = now;
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            Thread.sleep(100);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
