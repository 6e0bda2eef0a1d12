package kz.freedomid.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The recurring retention job deletes audit events older than FREEDOM_ID_AUDIT_RETENTION, and only those. */
class AuditRetentionTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_AUDIT_RETENTION", "P10D", "FREEDOM_ID_JOB_POLL_MS", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void retentionJobDeletesEventsOlderThanTheRetentionAndKeepsNewerOnes() {
        String old = recorded();
        server.clock.advance(Duration.ofDays(9));
        String recent = recorded();
        assertThat(events(old)).isEqualTo(1);

        server.awaitRecurringJobsIdle();
        server.clock.advance(Duration.ofDays(2)); // the first event is now 11 days old, the second 2 days
        await(() -> events(old) == 0);

        assertThat(events(recent)).isEqualTo(1);
        var left = server.app.audit.search(new AuditQuery(null, null, "test.retention", null, null, 200, null)).items();
        assertThat(left).extracting(AuditEvent::subject).contains(recent).doesNotContain(old);
    }

    private static String recorded() {
        String subject = UUID.randomUUID().toString();
        server.app.audit.record(Actor.SYSTEM, "test.retention", subject, null, Map.of());
        return subject;
    }

    private static long events(String subject) {
        return server.count("SELECT COUNT(*) FROM audit_events WHERE subject = ?", subject);
    }

    /**
     * Bounded wait for the job; the server clock moves 10 ms per 20 ms poll, since db-scheduler's poller waits on the
     * injected clock and would sleep through a frozen one.
     */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the retention job did not run within 30 s");
            server.clock.advance(Duration.ofMillis(10));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
