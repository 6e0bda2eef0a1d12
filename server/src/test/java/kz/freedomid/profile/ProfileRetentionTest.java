package kz.freedomid.profile;

import static kz.freedomid.profile.ProfileTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pending → failed after 24 h, finished → purged after 60 min (on read and by the cleanup job), failing sources. */
class ProfileRetentionTest {
    static TestServer server;
    static Flows.TestPartner partner;
    private ProfileSource added;

    /** Holds the assembly until released, so a request stays pending as long as the test wants. */
    static final class Gate implements ProfileSource {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(60);
        }

        @Override
        public Map<String, Object> attributes(User user) throws InterruptedException {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return Map.of();
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.start(true, fastJobs());
        partner = partnerWithRsaKey(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void removeSource() {
        if (added instanceof Gate gate) gate.release.countDown();
        if (added != null) server.app.profiles.removeSource(added);
    }

    private <T extends ProfileSource> T add(T source) {
        added = source;
        server.app.profiles.addSource(source);
        return source;
    }

    @Test
    void pendingFor24HoursFailsThenIsPurgedAnHourLater() throws Exception {
        Gate gate = add(new Gate());
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        assertThat(postOk(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("accepted");
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();

        JsonNode repost = postOk(server, user.accessToken(), requestId);
        assertThat(repost.get("status").asText()).isEqualTo("pending");
        JsonNode pending = status(server, user.accessToken(), requestId);
        assertThat(pending.get("status").asText()).isEqualTo("pending");
        assertThat(pending.has("profile")).isFalse();

        server.clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(status(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("pending");
        server.clock.advance(Duration.ofMinutes(2));
        JsonNode failed = status(server, user.accessToken(), requestId);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("status_message").asText()).contains("24 hours");
        assertThat(failed.has("profile")).isFalse();

        // The assembly that finishes late does not turn a timed-out request into a completed one.
        gate.release.countDown();
        await(() -> server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ?", requestId) == 0);
        assertThat(status(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("failed");
        assertThat(postOk(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("failed");

        // Failed at the 24 h deadline, kept 60 minutes from then.
        server.clock.advance(Duration.ofMinutes(59));
        assertThat(status(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("not_found");
        assertThat(rows(requestId)).isZero();
    }

    @Test
    void consentWithdrawnWhileAssemblingFailsTheRequest() throws Exception {
        Gate gate = add(new Gate());
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        postOk(server, user.accessToken(), requestId);
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();
        server.execute("DELETE FROM consents WHERE user_id = ? AND client_id = ?", UUID.fromString(user.freedomId()),
                UUID.fromString(partner.clientId()));
        gate.release.countDown();
        JsonNode failed = awaitFinished(server, user.accessToken(), requestId);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("status_message").asText()).contains("withdrew consent");
        assertThat(failed.has("profile")).isFalse();
    }

    @Test
    void completedIsKept60MinutesThenNotFound() {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        postOk(server, user.accessToken(), requestId);
        assertThat(awaitFinished(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("completed");

        server.clock.advance(Duration.ofMinutes(59));
        assertThat(status(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("completed");
        server.clock.advance(Duration.ofMinutes(2));
        JsonNode gone = status(server, user.accessToken(), requestId);
        assertThat(gone.get("status").asText()).isEqualTo("not_found");
        assertThat(gone.has("profile")).isFalse();
        assertThat(rows(requestId)).isZero();
    }

    @Test
    void theCleanupJobTimesOutAndPurgesWithoutAnyoneAsking() throws Exception {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String completed = newRequestId();
        postOk(server, user.accessToken(), completed);
        awaitFinished(server, user.accessToken(), completed);
        Gate gate = add(new Gate());
        String stuck = newRequestId();
        postOk(server, user.accessToken(), stuck);
        assertThat(gate.entered.await(20, TimeUnit.SECONDS)).isTrue();

        server.awaitRecurringJobsIdle();
        server.clock.advance(Duration.ofHours(24).plusMinutes(6)); // past the 24 h limit and the job's 5-minute period
        await(() -> server.count("SELECT COUNT(*) FROM profile_requests WHERE request_id = ?", UUID.fromString(completed)) == 0);
        await(() -> server.count("SELECT COUNT(*) FROM profile_requests WHERE request_id = ? AND status = 'failed'",
                UUID.fromString(stuck)) == 1);
    }

    @Test
    void aSourceThatThrowsFailsTheRequest() {
        add(new ProfileSource() {
            @Override
            public String name() {
                return "kyc-vendor";
            }

            @Override
            public Map<String, Object> attributes(User user) {
                throw new IllegalStateException("vendor down");
            }
        });
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        postOk(server, user.accessToken(), requestId);
        JsonNode failed = awaitFinished(server, user.accessToken(), requestId);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("status_message").asText()).isEqualTo("Profile source 'kyc-vendor' failed.");
        assertThat(failed.has("profile")).isFalse();
        assertThat(server.count("SELECT COUNT(*) FROM profile_requests WHERE request_id = ? AND payload IS NULL",
                UUID.fromString(requestId))).isEqualTo(1);
    }

    @Test
    void aSourceThatDoesNotAnswerInTimeFailsTheRequest() {
        add(new ProfileSource() {
            @Override
            public String name() {
                return "slow-vendor";
            }

            @Override
            public Duration timeout() {
                return Duration.ofMillis(200);
            }

            @Override
            public Map<String, Object> attributes(User user) throws InterruptedException {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS); // never answers in time; interrupted on timeout
                return Map.of();
            }
        });
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        postOk(server, user.accessToken(), requestId);
        JsonNode failed = awaitFinished(server, user.accessToken(), requestId);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("status_message").asText()).isEqualTo("Profile source 'slow-vendor' did not answer within 200 ms.");
    }

    private static long rows(String requestId) {
        return server.count("SELECT COUNT(*) FROM profile_requests WHERE request_id = ?", UUID.fromString(requestId));
    }

    /**
     * Bounded wait (20 s) for something the job queue does. The server's clock moves 10 ms per 50 ms poll, as the other
     * job tests' waits do: db-scheduler's poller waits on the injected clock, and a frozen one can keep it asleep.
     */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 20 s");
            server.clock.advance(java.time.Duration.ofMillis(10));
            Thread.sleep(50);
        }
    }
}
