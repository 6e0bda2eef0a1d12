package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server process killed with SIGKILL while a revoke callback waits for its retry: after a restart on the same
 * database the callback is delivered. Nothing about the job lived only in the dead process's memory.
 */
class CallbackCrashTest {
    static TestServer setup;

    @BeforeAll
    static void start() {
        setup = TestServer.startReachableFromOtherProcesses();
    }

    @AfterAll
    static void stop() {
        setup.close();
    }

    @Test
    void aCallbackWaitingForItsRetrySurvivesKillNine() throws Exception {
        int partnerPort = freePort(); // nothing listens there yet: the partner is down
        Client client = register(setup, "http://127.0.0.1:" + partnerPort + "/revoke", null);
        SignedIn signedIn = signIn(setup, setup.browser(), client);
        logout(signedIn); // queues the callback
        setup.app.close(); // this node leaves; the child processes below take over the queue

        var config = setup.app.config;
        Map<String, String> env = new HashMap<>(Map.of("FREEDOM_ID_DB_URL", config.dbUrl(), "FREEDOM_ID_DB_USER", config.dbUser(),
                "FREEDOM_ID_DB_PASSWORD", config.dbPassword(), "FREEDOM_ID_DATA_DIR", config.dataDir().toString(),
                "FREEDOM_ID_JOB_POLL_MS", "200"));
        env.put("FREEDOM_ID_MASTER_KEY", config.masterKey());
        env.put("FREEDOM_ID_PORT", String.valueOf(freePort()));
        ChildJvm.Started first = ChildJvm.start(env, "serve");
        try {
            // The setup node already failed once; wait for the child's own attempt to fail too.
            awaitReal("the child's attempt fails while the partner is down", 60, () -> failures(env) >= 2 && !picked(env));
        } finally {
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
            first.process().waitFor(20, TimeUnit.SECONDS);
        }

        try (Receiver receiver = new Receiver(n -> 200, partnerPort)) {
            env.put("FREEDOM_ID_PORT", String.valueOf(freePort()));
            ChildJvm.Started second = ChildJvm.start(env, "serve");
            try {
                try {
                    awaitReal("delivery by the restarted process", 120, () -> receiver.count() >= 1);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nfirst:\n" + first.stderr() + "\nsecond:\n" + second.stderr(), e);
                }
                assertThat(receiver.requests.get(0).text()).isEqualTo("{\"id\":\"" + signedIn.pairId() + "\"}");
            } finally {
                second.process().destroy();
                second.process().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static long failures(Map<String, String> env) {
        return query(env, "SELECT COALESCE(MAX(consecutive_failures), 0) FROM scheduled_tasks WHERE task_name = 'revoke-callback'");
    }

    private static boolean picked(Map<String, String> env) {
        return query(env, "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback' AND picked = TRUE") > 0;
    }

    /** Reads the shared database directly, as another client of it (H2 in server mode, or PostgreSQL). */
    private static long query(Map<String, String> env, String sql) {
        try (var c = java.sql.DriverManager.getConnection(env.get("FREEDOM_ID_DB_URL"), env.get("FREEDOM_ID_DB_USER"),
                env.get("FREEDOM_ID_DB_PASSWORD")); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // the child may hold the H2 file for a moment; ask again
        }
    }

    private static void awaitReal(String what, int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(200);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
