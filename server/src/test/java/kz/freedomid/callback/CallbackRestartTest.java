package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kz.freedomid.App;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A callback queued while the partner is down survives a restart of the server and is delivered by the new one. */
class CallbackRestartTest {
    static TestServer server;
    static App restarted;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
    }

    @AfterAll
    static void stop() {
        if (restarted != null) restarted.close();
        server.close(); // closes the first App a second time (harmless) and drops the database
    }

    @Test
    void aQueuedCallbackIsDeliveredAfterARestartOnTheSameDatabase() throws Exception {
        int port;
        try (Receiver probe = new Receiver(n -> 200)) {
            port = probe.server.getAddress().getPort();
        } // the partner is down: connections to its port are refused
        String revokeUri = "http://127.0.0.1:" + port + "/revoke";
        Client client = register(server, revokeUri, null);
        SignedIn signedIn = signIn(server, server.browser(), client);
        logout(signedIn);
        await(server.clock, "refused attempt recorded as a failure", 10, () -> failing(server, "revoke-callback") == 1);

        server.app.close();
        try (Receiver receiver = new Receiver(n -> 200, port)) {
            restarted = new App(server.app.config, server.clock).start();
            server.clock.advance(Duration.ofSeconds(11));
            await(server.clock, "delivered by the restarted server", 15, () -> receiver.count() == 1);
            await(server.clock, "job done", 10, () -> restarted.database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback'").mapTo(Long.class).one()) == 0);
            Thread.sleep(300);
            assertThat(receiver.count()).isEqualTo(1);
            assertThat(receiver.requests.get(0).text()).isEqualTo("{\"id\":\"" + signedIn.pairId() + "\"}");
            assertSignatureVerifies(server, receiver.requests.get(0).header("Freedom-Signature"), receiver.requests.get(0).body());
        }
    }
}
