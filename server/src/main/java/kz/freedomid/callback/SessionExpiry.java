package kz.freedomid.callback;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import java.util.List;
import kz.freedomid.login.SessionService;
import kz.freedomid.login.WebSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recurring sweep: signed-in sessions past their expiry are ended like a logout, so their token pairs are revoked
 * and their partners notified (contract 3.10, "session expiry"); sessions dead for a day are then deleted.
 */
public final class SessionExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionExpiry.class);
    static final int BATCH = 200;
    static final Duration KEEP_DEAD = Duration.ofDays(1);

    public final RecurringTask<Void> task;
    private final SessionService sessions;
    private volatile SessionEnd sessionEnd;

    public SessionExpiry(SessionService sessions) {
        this.sessions = sessions;
        this.task = Tasks.recurring("session-expiry", FixedDelay.ofMinutes(1)).execute((instance, ctx) -> sweep());
    }

    /** How expired sessions end (built after the job queue this task is registered with). */
    public void endWith(SessionEnd sessionEnd) {
        this.sessionEnd = sessionEnd;
    }

    /** Ends every expired signed-in session and purges dead ones; returns how many sessions this sweep ended. */
    public int sweep() {
        int ended = 0;
        List<WebSession> batch;
        do {
            batch = sessions.expiredSignedIn(BATCH);
            for (WebSession session : batch) {
                if (sessionEnd.endSession(session.id(), session.userId(), "session_expired")) ended++;
            }
        } while (batch.size() == BATCH);
        int purged = sessions.purgeDead(KEEP_DEAD);
        if (ended > 0 || purged > 0) LOG.info("session sweep: {} expired sessions ended, {} dead sessions purged", ended, purged);
        return ended;
    }
}
