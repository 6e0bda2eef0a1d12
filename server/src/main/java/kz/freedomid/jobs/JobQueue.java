package kz.freedomid.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kz.freedomid.platform.Database;
import org.jdbi.v3.core.Jdbi;

/**
 * The durable job queue: db-scheduler on the server's own database. A job is a row in {@code scheduled_tasks}, so it
 * survives a restart or a crash, and a row is picked by one node at a time, so with many nodes each job runs once.
 * Feature packages declare their tasks; this class only runs them.
 */
public final class JobQueue implements AutoCloseable {
    public record Stats(long due, long scheduled, long failing) {}

    private final Scheduler scheduler;
    private final Jdbi jdbi;
    private final Clock clock;

    public JobQueue(Database database, Clock clock, List<Task<?>> tasks, List<RecurringTask<?>> recurring,
                    Duration pollingInterval) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        // startTasks registers the recurring tasks as known tasks too; listing them here as well is a duplicate key.
        this.scheduler = Scheduler.create(database.dataSource(), new ArrayList<>(tasks))
                .startTasks(recurring.toArray(RecurringTask[]::new))
                .clock(clock::instant)
                .pollingInterval(pollingInterval)
                .heartbeatInterval(Duration.ofSeconds(30))
                .threads(8)
                .enableImmediateExecution()
                .alwaysPersistTimestampInUTC()
                // What db-scheduler's detection would choose, without the connection it opens to detect at every start.
                .jdbcCustomization(database.isPostgres() ? new PostgreSqlJdbcCustomization(false, true) : new DefaultJdbcCustomization(true))
                .shutdownMaxWait(Duration.ofSeconds(10))
                .serializer(new TextSerializer())
                .schedulerName(new SchedulerName.Fixed(nodeName()))
                .build();
    }

    public void start() {
        scheduler.start();
    }

    /** Queues a job to run now, unless one with the same id is already queued (idempotent). */
    public <T> void enqueue(OneTimeTask<T> task, String id, T data) {
        // Whole milliseconds: a time the database rounds up could lie after "now" and wait for the next poll.
        scheduler.scheduleIfNotExists(task.instance(id, data), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    public <T> void enqueueAt(OneTimeTask<T> task, String id, T data, Instant when) {
        scheduler.scheduleIfNotExists(task.instance(id, data), when);
    }

    /**
     * Queues a job inside the caller's open transaction, so the job exists exactly when the caller's change commits (a
     * crash between the two can lose neither). Jdbi hands nested calls on one thread the same handle, so this joins
     * the transaction of the store calls around it. Another job with the same id already queued is left as it is.
     */
    public void enqueueInTransaction(OneTimeTask<String> task, String id, String data, Instant when) {
        jdbi.useHandle(h -> {
            if (!h.isInTransaction()) throw new IllegalStateException("enqueueInTransaction needs an open transaction");
            h.createUpdate("""
                            INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
                            SELECT :task, :id, :data, :due, FALSE, 1, 0 FROM (VALUES (0)) AS one (x)
                            WHERE NOT EXISTS (SELECT 1 FROM scheduled_tasks WHERE task_name = :task AND task_instance = :id)""")
                    .bind("task", task.getName()).bind("id", id).bind("data", TextSerializer.bytes(data))
                    .bind("due", when.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    .execute();
            h.afterCommit(scheduler::triggerCheckForDueExecutions);
        });
    }

    /** For metrics and the admin view: jobs due now, all queued jobs, and those whose last attempt failed. */
    public Stats stats() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COUNT(CASE WHEN execution_time <= :now THEN 1 END) AS due, COUNT(*) AS scheduled,
                               COUNT(CASE WHEN consecutive_failures > 0 THEN 1 END) AS failing
                        FROM scheduled_tasks""")
                .bind("now", clock.instant())
                .map((rs, ctx) -> new Stats(rs.getLong("due"), rs.getLong("scheduled"), rs.getLong("failing")))
                .one());
    }

    /** Names this process in {@code scheduled_tasks.picked_by}: the host alone would not tell two nodes on it apart. */
    private static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(System.identityHashCode(new Object()));
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
