package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL share the job queue: many queued callbacks, each delivered exactly once, and
 * both processes take part. (Run on PostgreSQL only: several processes share only PostgreSQL in production.)
 */
class CallbackTwoProcessesTest {
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
    void manyQueuedCallbacksAreEachDeliveredOnceByTwoProcesses() throws Exception {
        AtomicBoolean partnerUp = new AtomicBoolean(false);
        Map<String, Integer> delivered = new ConcurrentHashMap<>();
        HttpServer partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        partner.setExecutor(Executors.newCachedThreadPool());
        partner.createContext("/revoke", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = 503;
            if (partnerUp.get()) {
                sleep(150); // slow answers keep many jobs in flight, so both processes' pollers compete for rows
                delivered.merge(body, 1, Integer::sum);
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        partner.start();
        List<ChildJvm.Started> nodes = new ArrayList<>();
        try {
            Client client = register(setup, "http://127.0.0.1:" + partner.getAddress().getPort() + "/revoke", null);
            List<SignedIn> pairs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                SignedIn first = signIn(setup, setup.browser(), client);
                pairs.add(first);
                pairs.add(signInAgain(setup, first.browser(), client));
                pairs.add(signInAgain(setup, first.browser(), client));
                logout(first);
            }
            Set<String> expected = pairs.stream().map(p -> "{\"id\":\"" + p.pairId() + "\"}").collect(Collectors.toSet());
            assertThat(expected).hasSize(36);
            await(setup.clock, "every first attempt failed while the partner is down", 60,
                    () -> setup.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback' "
                            + "AND consecutive_failures > 0 AND picked = FALSE") == 36);
            setup.app.close(); // the two processes below take over the queue

            var config = setup.app.config;
            Map<String, String> env = new HashMap<>(Map.of("FREEDOM_ID_DB_URL", config.dbUrl(), "FREEDOM_ID_DB_USER",
                    config.dbUser(), "FREEDOM_ID_DB_PASSWORD", config.dbPassword(), "FREEDOM_ID_DATA_DIR",
                    config.dataDir().toString(), "FREEDOM_ID_JOB_POLL_MS", "200", "FREEDOM_ID_MASTER_KEY", config.masterKey()));
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ports.add(freePort());
                env.put("FREEDOM_ID_PORT", String.valueOf(ports.get(i)));
                nodes.add(ChildJvm.start(env, "serve"));
            }
            awaitReal("both processes ready", 90, () -> ports.stream().allMatch(CallbackTwoProcessesTest::ready));
            partnerUp.set(true);

            ConcurrentLinkedQueue<String> pickers = new ConcurrentLinkedQueue<>();
            awaitReal("every callback delivered", 120, () -> {
                pickers.addAll(query(env, "SELECT picked_by FROM scheduled_tasks WHERE task_name = 'revoke-callback' AND picked = TRUE"));
                return delivered.keySet().containsAll(expected) && count(env) == 0;
            });
            Thread.sleep(1000); // a duplicate delivery, were there one, would arrive now
            assertThat(delivered.keySet()).isEqualTo(expected);
            assertThat(delivered.values()).as("each callback delivered once").allMatch(n -> n == 1);
            assertThat(Set.copyOf(pickers)).as("both processes picked jobs").hasSize(2);
        } finally {
            for (ChildJvm.Started node : nodes) {
                node.process().destroy();
                node.process().waitFor(20, TimeUnit.SECONDS);
            }
            partner.stop(0);
        }
    }

    private static List<String> query(Map<String, String> env, String sql) {
        try (var c = java.sql.DriverManager.getConnection(env.get("FREEDOM_ID_DB_URL"), env.get("FREEDOM_ID_DB_USER"),
                env.get("FREEDOM_ID_DB_PASSWORD")); var rs = c.createStatement().executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean ready(int port) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long count(Map<String, String> env) {
        return Long.parseLong(query(env, "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback'").get(0));
    }

    private static void awaitReal(String what, int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
