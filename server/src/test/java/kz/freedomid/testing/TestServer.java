package kz.freedomid.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import kz.freedomid.App;
import kz.freedomid.login.DevOutbox;
import kz.freedomid.platform.Config;

/** The real server on a free port, on H2 or PostgreSQL, with a clock the test controls. */
public final class TestServer implements AutoCloseable {
    public final App app;
    public final MutableClock clock;
    public final String baseUrl;
    private final TestDatabases.TestDb db;

    /**
     * Every test class signs in and calls the token endpoints many times from one address under a clock that stands
     * still, so the limiter runs with limits no test reaches; the rate-limit tests set small ones.
     */
    private static final Map<String, String> UNLIMITED = Map.of(
            "FREEDOM_ID_RATE_OTP_PER_IP_HOUR", "1000000",
            "FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", "1000000",
            "FREEDOM_ID_RATE_CLIENT_PER_SECOND", "1000000",
            "FREEDOM_ID_RATE_CLIENT_IP_PER_SECOND", "1000000");

    private TestServer(App app, MutableClock clock, String baseUrl, TestDatabases.TestDb db) {
        this.app = app;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.db = db;
    }

    public static TestServer start() {
        return start(true, Map.of());
    }

    /** On H2, uses a database file in server mode, as `serve` does, so the admin CLI can work beside the server. */
    public static TestServer startReachableFromOtherProcesses() {
        return start(true, Map.of(), true);
    }

    /** {@code settings} are extra FREEDOM_ID_* environment values. */
    public static TestServer start(boolean dev, Map<String, String> settings) {
        return start(dev, settings, false);
    }

    /** On a database the test provides (its own PostgreSQL cluster, say); {@code db.drop()} runs on close. */
    public static TestServer startOn(TestDatabases.TestDb db, Map<String, String> settings) {
        return start(true, settings, false, db);
    }

    private static TestServer start(boolean dev, Map<String, String> settings, boolean shared) {
        return start(dev, settings, shared, null);
    }

    private static TestServer start(boolean dev, Map<String, String> settings, boolean shared, TestDatabases.TestDb given) {
        try {
            int port = freePort();
            Path dataDir = Files.createTempDirectory("freedom-id-test");
            TestDatabases.TestDb db = given != null ? given : TestDatabases.create(shared, dataDir);
            var env = new java.util.HashMap<String, String>(Map.of(
                    "FREEDOM_ID_PORT", String.valueOf(port),
                    "FREEDOM_ID_DB_URL", db.url(),
                    "FREEDOM_ID_DB_USER", db.user(),
                    "FREEDOM_ID_DB_PASSWORD", db.password(),
                    "FREEDOM_ID_DATA_DIR", dataDir.toString(),
                    "FREEDOM_ID_DEV", String.valueOf(dev),
                    "FREEDOM_ID_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32])));
            env.putAll(UNLIMITED);
            env.putAll(settings);
            Config config = Config.from(env);
            MutableClock clock = new MutableClock(Instant.now(Clock.systemUTC()));
            App app = new App(config, clock).start();
            TestServer server = new TestServer(app, clock, "http://localhost:" + app.port(), db);
            server.awaitRecurringJobsIdle();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until every recurring job has run at least once and none is running. A recurring job runs next a period
     * after its last run ends: a test that moves the clock past the period while a run is still going would find the
     * next run a period past its jump, so tests start after the first runs and call this before such a jump. The clock
     * moves as a real one would meanwhile: db-scheduler's poller waits on the injected clock.
     */
    public void awaitRecurringJobsIdle() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = 'recurring'"
                + " AND (last_success IS NULL OR picked = TRUE)") > 0) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("recurring jobs did not run at start-up");
            clock.advance(java.time.Duration.ofMillis(10));
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The partner as this server sees it once {@code condition} holds: a change made in another process (the admin
     * command line) reaches this node's partner cache within milliseconds on PostgreSQL (the server listens for it)
     * and within {@code CachingPartnerStore.UNHEARD_MAX_AGE} on H2, not at once.
     */
    public kz.freedomid.partner.Partner partnerWhen(java.util.UUID clientId,
                                                    java.util.function.Predicate<kz.freedomid.partner.Partner> condition) {
        long deadline = System.nanoTime() + kz.freedomid.partner.CachingPartnerStore.UNHEARD_MAX_AGE.multipliedBy(3).toNanos();
        while (true) {
            kz.freedomid.partner.Partner partner = app.partners.find(clientId).orElseThrow();
            if (condition.test(partner)) return partner;
            if (System.nanoTime() > deadline) throw new AssertionError("the partner never matched: " + partner);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public Http http() {
        return new Http(baseUrl);
    }

    public Browser browser() {
        return new Browser(baseUrl);
    }

    public List<DevOutbox.Entry> outbox(String phone) {
        return ((DevOutbox) app.sms).to(phone);
    }

    /** A count from the server's own database, for checking that a rejected request changed nothing. */
    public long count(String sql, Object... args) {
        return app.database.jdbi().withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) query.bind(i, args[i]);
            return query.mapTo(Long.class).one();
        });
    }

    public void execute(String sql, Object... args) {
        app.database.jdbi().useHandle(h -> {
            var update = h.createUpdate(sql);
            for (int i = 0; i < args.length; i++) update.bind(i, args[i]);
            update.execute();
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        app.close();
        db.drop().run();
    }
}
