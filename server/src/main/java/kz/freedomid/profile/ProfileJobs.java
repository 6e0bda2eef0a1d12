package kz.freedomid.profile;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import java.util.UUID;
import kz.freedomid.jobs.JobQueue;

/** The durable jobs of profile requests: one assembly per request (data: the request id) and a recurring cleanup. */
public final class ProfileJobs {
    public final OneTimeTask<String> assemble;
    public final RecurringTask<Void> cleanup;

    public ProfileJobs(ProfileService service) {
        this.assemble = Tasks.oneTime("profile-assemble", String.class)
                .execute((instance, ctx) -> service.assemble(UUID.fromString(instance.getData())));
        this.cleanup = Tasks.recurring("profile-cleanup", FixedDelay.ofMinutes(5))
                .execute((instance, ctx) -> service.cleanup());
    }

    /** Queues the assembly of one request, due now, in the transaction that stores the request. */
    public void enqueue(JobQueue jobs, Clock clock, UUID requestId) {
        jobs.enqueueInTransaction(assemble, requestId.toString(), requestId.toString(), clock.instant());
    }
}
