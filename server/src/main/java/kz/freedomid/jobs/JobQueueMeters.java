package kz.freedomid.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * {@code freedom_id_jobs_due}, {@code _queued} and {@code _failing}: the shared queue as every node sees it. One scrape
 * reads the three gauges in a row; they share one query instead of making three.
 */
public final class JobQueueMeters {
    private static final long REUSE_NANOS = 1_000_000_000L;

    private final JobQueue queue;
    private JobQueue.Stats last;
    private long lastAt;

    private JobQueueMeters(JobQueue queue) {
        this.queue = queue;
    }

    public static void register(JobQueue queue, MeterRegistry registry) {
        JobQueueMeters meters = new JobQueueMeters(queue);
        gauge(registry, meters, "freedom_id_jobs_due", "Jobs due to run now", JobQueue.Stats::due);
        gauge(registry, meters, "freedom_id_jobs_queued", "Jobs in the queue", JobQueue.Stats::scheduled);
        gauge(registry, meters, "freedom_id_jobs_failing", "Jobs whose last attempt failed and that wait for a retry",
                JobQueue.Stats::failing);
    }

    private static void gauge(MeterRegistry registry, JobQueueMeters meters, String name, String description,
            ToDoubleFunction<JobQueue.Stats> value) {
        Gauge.builder(name, meters, m -> value.applyAsDouble(m.stats())).description(description)
                .strongReference(true).register(registry); // nothing else holds the meters object
    }

    private synchronized JobQueue.Stats stats() {
        long now = System.nanoTime();
        if (last == null || now - lastAt > REUSE_NANOS) {
            last = queue.stats();
            lastAt = now;
        }
        return last;
    }
}
