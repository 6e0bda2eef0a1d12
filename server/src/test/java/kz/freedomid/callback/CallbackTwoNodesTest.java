package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kz.freedomid.App;
import kz.freedomid.platform.Config;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one database (PostgreSQL, or one in-memory H2 shared inside this JVM): many callbacks, each delivered
 * exactly once although both nodes poll the same queue.
 */
class CallbackTwoNodesTest {
    static TestServer server;
    static App second;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
        Config c = server.app.config;
        second = new App(c.withPort(0), server.clock).start();
    }

    @AfterAll
    static void stop() {
        second.close();
        server.close();
    }

    @Test
    void manyCallbacksAreEachDeliveredOnceWithTwoNodes() throws Exception {
        // Slow answers keep several jobs running at once, so both nodes' pollers compete for the rows.
        try (Receiver receiver = new Receiver(n -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        })) {
            Client client = register(server, receiver.url("/revoke"), null);
            List<SignedIn> sessions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SignedIn first = signIn(server, server.browser(), client);
                sessions.add(first);
                sessions.add(signInAgain(server, first.browser(), client));
                sessions.add(signInAgain(server, first.browser(), client));
            }
            Set<String> expected = sessions.stream().map(s -> "{\"id\":\"" + s.pairId() + "\"}").collect(Collectors.toSet());
            assertThat(expected).hasSize(24);
            Set<SignedIn> loggedOut = new HashSet<>();
            for (SignedIn s : sessions) {
                if (loggedOut.stream().noneMatch(o -> o.sessionId().equals(s.sessionId()))) {
                    logout(s);
                    loggedOut.add(s);
                }
            }

            await(server.clock, "every callback", 30, () -> receiver.count() >= 24);
            await(server.clock, "queue empty", 10, () -> queued(server, "revoke-callback") == 0);
            Thread.sleep(500);
            Map<String, Long> deliveries = receiver.requests.stream()
                    .collect(Collectors.groupingBy(Received::text, Collectors.counting()));
            assertThat(deliveries.keySet()).isEqualTo(expected);
            assertThat(deliveries.values()).allMatch(n -> n == 1L);
        }
    }
}
