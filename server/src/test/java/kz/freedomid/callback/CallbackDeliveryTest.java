package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Revoke callbacks (contract 3.10): signed, retried with backoff on failures, timeouts and redirects. */
class CallbackDeliveryTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void callbackIsRetriedWithBackoffUntilTheReceiverAnswers2xxAndVerifiesWithTheJwks() throws Exception {
        try (Receiver receiver = new Receiver(n -> n <= 2 ? 500 : 200)) {
            Client client = register(server, receiver.url("/revoke"), null);
            SignedIn signedIn = signIn(server, server.browser(), client);
            logout(signedIn);
            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoked_at IS NOT NULL",
                    signedIn.pairId())).isEqualTo(1);

            await(server.clock, "first attempt", 10, () -> receiver.count() == 1);
            await(server.clock, "first failure recorded", 10, () -> failing(server, "revoke-callback") == 1);
            Thread.sleep(500); // five polls: nothing is retried before the backoff has passed on the server's clock
            assertThat(receiver.count()).isEqualTo(1);

            server.clock.advance(Duration.ofSeconds(11));
            await(server.clock, "second attempt", 10, () -> receiver.count() == 2);
            await(server.clock, "second failure recorded", 10, () -> server.count(
                    "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback' AND consecutive_failures = 2") == 1);
            server.clock.advance(Duration.ofSeconds(11));
            Thread.sleep(300); // the second backoff is 20 s: 11 s is not enough
            assertThat(receiver.count()).isEqualTo(2);
            server.clock.advance(Duration.ofSeconds(10));
            await(server.clock, "third attempt", 10, () -> receiver.count() == 3);
            await(server.clock, "job done", 10, () -> queued(server, "revoke-callback") == 0);

            for (Received request : receiver.requests) {
                assertThat(request.path()).isEqualTo("/revoke");
                assertThat(request.text()).isEqualTo("{\"id\":\"" + signedIn.pairId() + "\"}");
                assertThat(request.header("Content-Type")).startsWith("application/json");
                assertSignatureVerifies(server, request.header("Freedom-Signature"), request.body());
            }
        }
    }

    @Test
    void aHangingReceiverDoesNotBlockLogoutAndIsRetriedAfterTheAttemptTimeout() throws Exception {
        server.app.callbacks.attemptTimeout(Duration.ofSeconds(1));
        try (Receiver receiver = new Receiver(n -> n == 1 ? HANG : 204)) {
            Client client = register(server, receiver.url("/revoke"), null);
            SignedIn signedIn = signIn(server, server.browser(), client);
            Duration took = logout(signedIn);
            assertThat(took).isLessThan(Duration.ofSeconds(1));

            await(server.clock, "first attempt", 10, () -> receiver.count() == 1);
            await(server.clock, "timed out and recorded as a failure", 10, () -> failing(server, "revoke-callback") == 1);
            server.clock.advance(Duration.ofSeconds(11));
            await(server.clock, "retry", 10, () -> receiver.count() == 2);
            await(server.clock, "job done", 10, () -> queued(server, "revoke-callback") == 0);
            assertThat(receiver.requests.get(1).text()).isEqualTo("{\"id\":\"" + signedIn.pairId() + "\"}");
        } finally {
            server.app.callbacks.attemptTimeout(CallbackJobs.ATTEMPT_TIMEOUT);
        }
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
        try (Receiver receiver = new Receiver(n -> n == 1 ? 302 : 200)) {
            Client client = register(server, receiver.url("/revoke"), null);
            logout(signIn(server, server.browser(), client));

            await(server.clock, "first attempt", 10, () -> receiver.count() == 1);
            await(server.clock, "redirect recorded as a failure", 10, () -> failing(server, "revoke-callback") == 1);
            server.clock.advance(Duration.ofSeconds(11));
            await(server.clock, "retry", 10, () -> receiver.count() == 2);
            await(server.clock, "job done", 10, () -> queued(server, "revoke-callback") == 0);
            assertThat(receiver.requests).extracting(Received::path).containsExactly("/revoke", "/revoke");
        }
    }

    @Test
    void retriesStopOnceTwentyFourHoursHavePassedSinceTheFirstAttempt() throws Exception {
        try (Receiver receiver = new Receiver(n -> 503)) {
            Client client = register(server, receiver.url("/revoke"), null);
            SignedIn signedIn = signIn(server, server.browser(), client);
            logout(signedIn);
            String job = "revoke:" + signedIn.pairId();
            await(server.clock, "first attempt", 10, () -> receiver.count() == 1);
            for (int hour = 1; hour <= 40 && server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ?", job) > 0;
                 hour++) {
                await(server.clock, "attempt settled", 10, () -> server.count(
                        "SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ? AND picked = TRUE", job) == 0);
                int before = receiver.count();
                server.clock.advance(Duration.ofHours(1)); // every backoff is at most an hour
                await(server.clock, "attempt after " + hour + " h", 10, () -> receiver.count() > before);
                await(server.clock, "attempt settled", 10, () -> server.count(
                        "SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ? AND picked = TRUE", job) == 0);
            }
            assertThat(server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ?", job)).as("given up").isZero();
            int attempts = receiver.count();
            assertThat(attempts).isBetween(24, 40); // doubling from 10 s, then hourly, for 24 h
            server.clock.advance(Duration.ofHours(2));
            Thread.sleep(500); // five polls

            assertThat(receiver.count()).isEqualTo(attempts);
        }
    }

    @Test
    void aPairWithoutRevokeUriQueuesNothing() {
        Client client = register(server, null, null);
        SignedIn signedIn = signIn(server, server.browser(), client);
        long before = server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name IN ('revoke-callback', 'backchannel-logout')");
        logout(signedIn);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoked_at IS NOT NULL", signedIn.pairId()))
                .isEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name IN ('revoke-callback', 'backchannel-logout')"))
                .isLessThanOrEqualTo(before);
    }
}
