package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import kz.freedomid.platform.Transactions;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Session expiry is a session end like logout: the recurring sweep revokes the pairs and calls the partners back. */
class SessionExpiryTest {
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
    void anExpiredSessionIsEndedByTheSweepAndItsPartnerCalledBackWhileALiveOneIsLeftAlone() throws Exception {
        try (Receiver receiver = new Receiver(n -> 200)) {
            Client client = register(server, receiver.url("/revoke"), null);
            Duration lifetime = server.app.config.lifetimes().session();
            SignedIn old = signIn(server, server.browser(), client);
            server.clock.advance(lifetime.dividedBy(2));
            SignedIn recent = signIn(server, server.browser(), client);
            server.awaitRecurringJobsIdle();
            server.clock.advance(lifetime.dividedBy(2).plusMinutes(1)); // the first session's lifetime is over

            await(server.clock, "the expired session's revoke callback", 30, () -> receiver.count() >= 1);
            assertThat(receiver.requests.get(0).text()).isEqualTo("{\"id\":\"" + old.pairId() + "\"}");
            assertSignatureVerifies(server, receiver.requests.get(0).header("Freedom-Signature"), receiver.requests.get(0).body());
            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoke_reason = 'session_expired'",
                    old.pairId())).isEqualTo(1);
            assertThat(server.count("SELECT COUNT(*) FROM web_sessions WHERE id = ? AND ended_at IS NOT NULL",
                    old.sessionId())).isEqualTo(1);

            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoked_at IS NULL", recent.pairId()))
                    .isEqualTo(1);
            assertThat(server.count("SELECT COUNT(*) FROM web_sessions WHERE id = ? AND ended_at IS NULL", recent.sessionId()))
                    .isEqualTo(1);
            assertThat(receiver.count()).isEqualTo(1);

            // A day after it ended, the sweep forgets the session row; the recent session has expired by then too.
            server.awaitRecurringJobsIdle();
            server.clock.advance(lifetime.dividedBy(2).plusDays(1).plusMinutes(2));
            await(server.clock, "the dead session purged", 30,
                    () -> server.count("SELECT COUNT(*) FROM web_sessions WHERE id = ?", old.sessionId()) == 0);
            await(server.clock, "the recent session, expired meanwhile, called back", 30, () -> receiver.count() >= 2);
            assertThat(receiver.requests.get(1).text()).isEqualTo("{\"id\":\"" + recent.pairId() + "\"}");
            // The receiver records a request before it answers: closing it now could fail the delivery in flight.
            await(server.clock, "the recent session's job done", 30, () -> queued(server, "revoke-callback") == 0);
        }
    }

    @Test
    void endingASessionTwiceNotifiesOnce() throws Exception {
        try (Receiver receiver = new Receiver(n -> 200)) {
            Client client = register(server, receiver.url("/revoke"), null);
            SignedIn signedIn = signIn(server, server.browser(), client);
            var user = server.app.sessions.find(signedIn.browser().cookie(kz.freedomid.login.LoginRoutes.SESSION_COOKIE).getValue())
                    .orElseThrow().session().userId();

            assertThat(server.app.sessionEnd.endSession(signedIn.sessionId(), user, "logout")).isTrue();
            assertThat(server.app.sessionEnd.endSession(signedIn.sessionId(), user, "logout")).isFalse();

            await(server.clock, "the callback", 30, () -> receiver.count() >= 1);
            await(server.clock, "its job done", 10,
                    () -> queuedInstance(server, "revoke:" + signedIn.pairId()) == 0);
            assertThat(receiver.count()).isEqualTo(1);
        }
    }

    @Test
    void theRevocationAndItsQueuedCallbacksCommitTogetherOrNotAtAll() throws Exception {
        try (Receiver receiver = new Receiver(n -> 200)) {
            Client client = register(server, receiver.url("/revoke"), null);
            SignedIn signedIn = signIn(server, server.browser(), client);
            Transactions transactions = new Transactions(server.app.database.jdbi());

            assertThatThrownBy(() -> transactions.inTransaction(() -> {
                server.app.sessions.end(signedIn.sessionId());
                server.app.tokens.revokeSession(signedIn.sessionId(), null, "logout");
                server.app.jobs.enqueueInTransaction(server.app.callbacks.revokeTask, "revoke:" + signedIn.pairId(),
                        server.app.callbacks.revokeData(signedIn.pairId(), receiver.url("/revoke")), server.clock.instant());
                throw new IllegalStateException("the node dies before commit");
            })).hasMessageContaining("dies");

            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoked_at IS NULL", signedIn.pairId()))
                    .isEqualTo(1);
            assertThat(server.count("SELECT COUNT(*) FROM web_sessions WHERE id = ? AND ended_at IS NULL", signedIn.sessionId()))
                    .isEqualTo(1);
            assertThat(queuedInstance(server, "revoke:" + signedIn.pairId())).isZero();
            assertThatThrownBy(() -> server.app.jobs.enqueueInTransaction(server.app.callbacks.revokeTask, "x", "{}",
                    server.clock.instant())).isInstanceOf(IllegalStateException.class);
        }
    }
}
