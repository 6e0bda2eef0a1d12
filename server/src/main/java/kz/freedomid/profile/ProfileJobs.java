package kz.freedomid.profile;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.util.UUID;

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
}
