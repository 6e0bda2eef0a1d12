package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A server process is killed with SIGKILL in the middle of a burst of sign-ins, refreshes and profile requests, and a
 * new one starts on the same PostgreSQL. Every operation happened completely or not at all: each refresh chain has
 * exactly one live pair (the last one its client saw, or the one committed for the request whose answer the kill
 * swallowed), every pair has its audit entry, every acknowledged profile request completes, and a revoke callback
 * queued before the kill is delivered.
 */
class CrashDuringBurstTest {
    private static final List<String> GRANTS = List.of("read.firstname", "read.phone", "read.profile");

    /** One refresh chain as its client sees it. */
    static final class Chain {
        final UUID grantId;
        volatile Flows.Tokens seen;
        final AtomicInteger refreshed = new AtomicInteger();
        volatile boolean unanswered; // a refresh was on its way when the server died

        Chain(UUID grantId, Flows.Tokens tokens) {
            this.grantId = grantId;
            this.seen = tokens;
        }
    }

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> unansweredProfiles = ConcurrentHashMap.newKeySet();
    private final List<Flows.Tokens> signedIn = new CopyOnWriteArrayList<>();
    private final AtomicInteger signInsStarted = new AtomicInteger();
    private final List<String> surprises = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    @Test
    void everyOperationHappenedCompletelyOrNotAtAllAfterKillNine() throws Exception {
        TestServer setup = TestServer.startReachableFromOtherProcesses();
        Map<String, String> env;
        List<Chain> chains = new ArrayList<>();
        Flows.TestPartner partner;
        String callbackPair;
        int partnerPort = freePort(); // the partner is down until the second process runs
        try {
            partner = partnerWithProfileKey(setup, "http://127.0.0.1:" + partnerPort + "/revoke");
            for (int i = 0; i < 4; i++) {
                Flows.Tokens tokens = Flows.exchange(setup, partner, Flows.codeFrom(setup, partner, GRANTS));
                chains.add(new Chain(UUID.fromString(setup.app.database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT grant_id FROM token_pairs WHERE id = :id").bind("id", UUID.fromString(tokens.id())).mapTo(String.class).one())), tokens));
            }
            // A revoke callback queued before the burst; its first attempt fails while the partner is down.
            Flows.Tokens ended = Flows.exchange(setup, partner, Flows.codeFrom(setup, partner, GRANTS));
            callbackPair = ended.id();
            UUID endedUser = UUID.fromString(setup.http().get("/api/v1/oauth/user", Http.bearer(ended.accessToken())).json().get("id").asText());
            setup.app.sessionEnd.endAllSessionsOf(endedUser, "logout");
            var config = setup.app.config;
            env = new HashMap<>(Map.of("FREEDOM_ID_DB_URL", config.dbUrl(), "FREEDOM_ID_DB_USER", config.dbUser(),
                    "FREEDOM_ID_DB_PASSWORD", config.dbPassword(), "FREEDOM_ID_DATA_DIR", config.dataDir().toString(),
                    "FREEDOM_ID_JOB_POLL_MS", "200", "FREEDOM_ID_DEV", "true", "FREEDOM_ID_MASTER_KEY", config.masterKey()));
            env.putAll(Map.of("FREEDOM_ID_RATE_OTP_PER_IP_HOUR", "1000000", "FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", "1000000",
                    "FREEDOM_ID_RATE_CLIENT_PER_SECOND", "1000000", "FREEDOM_ID_RATE_CLIENT_IP_PER_SECOND", "1000000"));
        } finally {
            setup.app.close(); // this node leaves; its schema stays for the child processes
        }

        ChildJvm.Started first = startChild(env);
        ChildJvm.Started second = null;
        try {
            String base = "http://127.0.0.1:" + env.get("FREEDOM_ID_PORT");
            awaitReady(base, first);
            Flows.Tokens profileReader = signIn(base, partner);

            List<Thread> burst = new ArrayList<>();
            for (Chain chain : chains) burst.add(worker(() -> refresh(base, chain)));
            for (int i = 0; i < 3; i++) burst.add(worker(() -> signedIn.add(signIn(base, partner))));
            for (int i = 0; i < 2; i++) burst.add(worker(() -> profile(base, profileReader)));
            await("sign-ins, refreshes and profile requests under way", 40, () -> !surprises.isEmpty() || signedIn.size() >= 2
                    && chains.stream().mapToInt(c -> c.refreshed.get()).sum() >= 8 && accepted.size() >= 4);
            assertThat(surprises).as("answers other than success before the kill").isEmpty();
            Thread.sleep(300); // into the middle of the next requests

            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
            assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            running = false;
            for (Thread t : burst) t.join(40_000);
            assertThat(burst).as("every client gave up on the dead server").noneMatch(Thread::isAlive);
            assertThat(surprises).as("answers other than success before the kill").isEmpty();
            System.out.printf("kill -9 after %d refreshes (%d unanswered), %d of %d sign-ins, %d profile requests (%d unanswered)%n",
                    chains.stream().mapToInt(c -> c.refreshed.get()).sum(), chains.stream().filter(c -> c.unanswered).count(),
                    signedIn.size(), signInsStarted.get(), accepted.size(), unansweredProfiles.size());

            try (Db db = new Db(env)) {
                // A job the dead process had picked waits until its heartbeat is stale (minutes); age it instead.
                db.update("UPDATE scheduled_tasks SET last_heartbeat = last_heartbeat - INTERVAL '1 hour' WHERE picked = TRUE");
                // The callback's backoff after its failed attempts is another test's subject: make its retry due now.
                db.update("UPDATE scheduled_tasks SET execution_time = CURRENT_TIMESTAMP WHERE task_name = 'revoke-callback'");
            }
            try (Receiver receiver = receiver(partnerPort)) {
                env.put("FREEDOM_ID_PORT", String.valueOf(freePort()));
                second = startChild(env);
                String again = "http://127.0.0.1:" + env.get("FREEDOM_ID_PORT");
                awaitReady(again, second);
                try (Db db = new Db(env)) {
                    assertRefreshChains(db, again, chains);
                    assertSignIns(db, again, partner);
                    assertProfiles(db);
                    await("the revoke callback queued before the kill is delivered", 60, () -> receiver.delivered.stream()
                            .anyMatch(b -> b.contains(callbackPair)));
                    assertThat(db.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'profile-assemble'")).isZero();
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nfirst:\n" + tail(first) + (second == null ? "" : "\nsecond:\n" + tail(second)), e);
        } finally {
            running = false;
            first.process().destroyForcibly();
            if (second != null) {
                second.process().destroy();
                second.process().waitFor(20, TimeUnit.SECONDS);
            }
            setup.close(); // drops the schema
        }
    }

    /** Exactly one live pair per chain: the client's, or its successor if the kill swallowed the answer. */
    private static void assertRefreshChains(Db db, String base, List<Chain> chains) {
        for (Chain chain : chains) {
            List<String> live = db.strings("SELECT refresh_hash FROM token_pairs WHERE grant_id = ? AND revoked_at IS NULL", chain.grantId);
            assertThat(live).as("live pairs of a chain").hasSize(1);
            long pairs = db.count("SELECT COUNT(*) FROM token_pairs WHERE grant_id = ?", chain.grantId);
            long audited = db.count("SELECT COUNT(*) FROM audit_events WHERE action = 'token.refreshed' AND details LIKE ?",
                    "%" + chain.grantId + "%");
            assertThat(audited).as("one audit entry per refresh of a chain").isEqualTo(pairs - 1);
            String seen = Secrets.sha256(chain.seen.refreshToken());
            Http http = new Http(base);
            if (live.get(0).equals(seen)) {
                assertThat(pairs).as("pairs of a chain whose client saw the last refresh").isEqualTo(chain.refreshed.get() + 1L);
                Http.Response next = http.send("PATCH", "/api/v1/oauth/token", Http.bearer(chain.seen.refreshToken()), null, null);
                assertThat(next.status()).as(next.body()).isEqualTo(200);
            } else {
                // The refresh on its way at the kill committed: the client holds a rotated token, and presenting it is
                // (correctly) treated as reuse.
                assertThat(chain.unanswered).as("a chain moved on without its client only by the unanswered refresh").isTrue();
                assertThat(pairs).isEqualTo(chain.refreshed.get() + 2L);
                assertThat(db.count("SELECT COUNT(*) FROM token_pairs WHERE refresh_hash = ? AND revoke_reason = 'rotated'", seen)).isEqualTo(1);
                System.out.println("chain " + chain.grantId + ": the refresh whose answer the kill swallowed had committed");
            }
        }
    }

    /** Each sign-in that reached its tokens works after the restart; every pair of the partner has its audit entry. */
    private void assertSignIns(Db db, String base, Flows.TestPartner partner) {
        assertThat(signedIn.size()).isLessThanOrEqualTo(signInsStarted.get());
        for (Flows.Tokens tokens : signedIn) {
            Http.Response me = new Http(base).get("/api/v1/oauth/user", Http.bearer(tokens.accessToken()));
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            assertThat(db.count("SELECT COUNT(*) FROM consents c JOIN token_pairs t ON t.user_id = c.user_id AND t.client_id = c.client_id"
                    + " WHERE t.id = ?", UUID.fromString(tokens.id()))).as("the consent of a completed sign-in").isEqualTo(1);
        }
        List<String> pairs = db.strings("SELECT CAST(id AS VARCHAR(36)) FROM token_pairs WHERE client_id = ?", UUID.fromString(partner.clientId()));
        for (String pair : pairs) {
            assertThat(db.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('token.issued', 'token.refreshed') AND details LIKE ?",
                    "%\"pair_id\":\"" + pair + "\"%")).as("audit entry of pair " + pair).isEqualTo(1);
        }
        assertThat(db.count("SELECT COUNT(*) FROM token_pairs WHERE user_id IS NOT NULL AND (refresh_hash IS NULL OR access_hash IS NULL)"))
                .as("user pairs without both tokens").isZero();
    }

    /** Each acknowledged profile request completes after the restart; none exists that its client was told failed. */
    private void assertProfiles(Db db) throws InterruptedException {
        await("every stored profile request completes", 60, () -> db.count(
                "SELECT COUNT(*) FROM profile_requests WHERE status <> 'completed'") == 0);
        List<String> stored = db.strings("SELECT CAST(request_id AS VARCHAR(36)) FROM profile_requests");
        assertThat(stored).as("acknowledged profile requests").containsAll(accepted);
        assertThat(stored.stream().filter(id -> !accepted.contains(id) && !unansweredProfiles.contains(id)).toList()).isEmpty();
        assertThat(accepted).as("profile requests acknowledged before the kill").isNotEmpty();
    }

    private void refresh(String base, Chain chain) {
        Http.Response response;
        try {
            response = new Http(base).send("PATCH", "/api/v1/oauth/token", Http.bearer(chain.seen.refreshToken()), null, null);
        } catch (java.io.UncheckedIOException e) {
            chain.unanswered = true;
            throw new Stop();
        }
        if (response.status() != 200) {
            surprises.add("refresh: " + response.status() + " " + response.body());
            throw new Stop();
        }
        var json = response.json();
        chain.seen = new Flows.Tokens(json.get("id").asText(), json.get("access_token").asText(), json.get("refresh_token").asText());
        chain.refreshed.incrementAndGet();
    }

    private void profile(String base, Flows.Tokens reader) {
        String requestId = UUID.randomUUID().toString();
        unansweredProfiles.add(requestId);
        Http.Response response;
        try {
            response = new Http(base).json("POST", "/api/v1/oauth/get-profile", Http.bearer(reader.accessToken()), Map.of("request_id", requestId));
        } catch (java.io.UncheckedIOException e) {
            throw new Stop();
        }
        if (response.status() != 200 || !"accepted".equals(response.json().get("status").asText())) {
            surprises.add("profile: " + response.status() + " " + response.body());
            throw new Stop();
        }
        unansweredProfiles.remove(requestId);
        accepted.add(requestId);
    }

    /** The hosted pages' sign-in with an SMS code (read from the dev outbox), consent, and the token exchange. */
    private Flows.Tokens signIn(String base, Flows.TestPartner partner) {
        signInsStarted.incrementAndGet();
        try {
            Http http = new Http(base);
            Http.Response link = http.json("POST", "/api/v1/oauth/authorize", partner.basic(),
                    Map.of("redirect_uri", partner.redirectUri(), "grants", GRANTS));
            expect(link.status() == 200, "authorize", link.body());
            URI login = URI.create(link.json().get("redirect_uri").asText());
            Browser browser = new Browser(base);
            Browser.Page phonePage = browser.get(login.getRawPath() + "?" + login.getRawQuery());
            String phone = Flows.newPhone();
            Browser.Page codePage = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
            expect(codePage.status() == 200, "phone", codePage.body());
            Http.Response outbox = http.get("/dev/outbox?to=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
            Browser.Page page = browser.submit(codePage, "/login/code", Map.of("code", outbox.json().get(0).get("code").asText()));
            if (page.status() == 200 && page.document().selectFirst("form[action=/login/signup]") != null) {
                page = browser.submit(page, "/login/signup", Map.of("firstname", "Dana", "lastname", "Serikova"));
            }
            if (page.status() == 303 && page.location().startsWith("/login/consent")) {
                page = browser.submit(browser.follow(page), "/login/consent", Map.of("decision", "approve"));
            }
            expect(page.status() == 303, "consent", page.body());
            String code = Flows.query(page.location()).get("authorization_code");
            Http.Response tokens = http.json("POST", "/api/v1/oauth/token", partner.basic(), Map.of("authorization_code", code));
            expect(tokens.status() == 200, "token", tokens.body());
            var json = tokens.json();
            return new Flows.Tokens(json.get("id").asText(), json.get("access_token").asText(), json.get("refresh_token").asText());
        } catch (java.io.UncheckedIOException e) {
            throw new Stop(); // the server died under this sign-in
        } catch (Stop stop) {
            throw stop;
        } catch (RuntimeException e) {
            if (running) surprises.add("sign-in: " + e);
            throw new Stop();
        }
    }

    private void expect(boolean ok, String step, String body) {
        if (!ok) {
            if (running) surprises.add("sign-in " + step + ": " + body.substring(0, Math.min(300, body.length())));
            throw new Stop();
        }
    }

    /** Ends one client's loop: the server is gone, or answered something the assertions report. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private Thread worker(Runnable step) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) step.run(); // until the server dies under it
            } catch (Stop stop) {
                // done
            }
        });
    }

    private static ChildJvm.Started startChild(Map<String, String> env) throws Exception {
        env.putIfAbsent("FREEDOM_ID_PORT", String.valueOf(freePort()));
        return ChildJvm.start(env, "serve");
    }

    private static void awaitReady(String base, ChildJvm.Started child) throws Exception {
        await("the server process is ready", 60, () -> {
            if (!child.process().isAlive()) throw new AssertionError("the server process exited");
            try {
                return new Http(base).get("/health/ready", null).status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private static String tail(ChildJvm.Started child) {
        try {
            String err = child.stderr() + child.stdout();
            return err.substring(Math.max(0, err.length() - 4000));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Flows.TestPartner partnerWithProfileKey(TestServer server, String revokeUri) throws Exception {
        var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
                .algorithm(com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256).keyID("crash").generate();
        String redirectUri = "https://partner.example/callback";
        var settings = new ClientSettings(false, List.of(), null, Set.of(), "RS256", key.toPublicJWK().toJSONString());
        var registered = server.app.partners.register(
                new PartnerService.NewPartner("Crash Shop", List.of(redirectUri), Grant.all(), revokeUri, settings));
        return new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(), redirectUri);
    }

    /** The partner's revoke endpoint: answers 200 and keeps the bodies. */
    private static final class Receiver implements AutoCloseable {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Receiver(int port) throws java.io.IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", exchange -> {
                delivered.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Receiver receiver(int port) throws java.io.IOException {
        return new Receiver(port);
    }

    /** The shared schema, read directly as another client of it. */
    private static final class Db implements AutoCloseable {
        private final Connection connection;

        Db(Map<String, String> env) throws SQLException {
            connection = DriverManager.getConnection(env.get("FREEDOM_ID_DB_URL"), env.get("FREEDOM_ID_DB_USER"), env.get("FREEDOM_ID_DB_PASSWORD"));
        }

        long count(String sql, Object... args) {
            List<String> rows = strings(sql, args);
            return Long.parseLong(rows.get(0));
        }

        List<String> strings(String sql, Object... args) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) statement.setObject(i + 1, args[i]);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }

        void update(String sql) throws SQLException {
            try (var statement = connection.createStatement()) {
                statement.executeUpdate(sql);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            Thread.sleep(200);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
