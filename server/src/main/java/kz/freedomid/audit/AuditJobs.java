package kz.freedomid.audit;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

/** The recurring retention job of the audit trail (one node runs it at a time). */
public final class AuditJobs {
    public final RecurringTask<Void> retention;

    public AuditJobs(AuditLog log) {
        this.retention = Tasks.recurring("audit-retention", FixedDelay.ofHours(1))
                .execute((instance, ctx) -> log.purgeExpired());
    }
}
