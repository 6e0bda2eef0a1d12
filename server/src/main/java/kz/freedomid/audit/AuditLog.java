package kz.freedomid.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Page;
import kz.freedomid.platform.PageCursor;

/**
 * The audit trail of security-relevant and administrative actions: recording, reading (newest first, paged), and
 * deleting what is older than the retention.
 */
public final class AuditLog {
    private static final int DELETE_BATCH = 5_000;

    private final AuditStore store;
    private final Ids ids;
    private final Clock clock;
    private final Duration retention;

    public AuditLog(AuditStore store, Ids ids, Clock clock, Duration retention) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
        this.retention = retention;
    }

    /** An event stamped now, for a store that writes it in its own transaction. */
    public AuditEvent event(Actor actor, String action, String subject, String clientIp, Map<String, Object> details) {
        return new AuditEvent(ids.v7(), clock.instant(), actor, action, subject, clientIp, details);
    }

    public void record(Actor actor, String action, String subject, String clientIp, Map<String, Object> details) {
        store.append(event(actor, action, subject, clientIp, details));
    }

    public void record(Actor actor, String action, UUID subject, String clientIp, Map<String, Object> details) {
        record(actor, action, subject == null ? null : subject.toString(), clientIp, details);
    }

    public Page<AuditEvent> search(AuditQuery query) {
        return Page.of(store.search(query), query.limit(), e -> new PageCursor(e.time(), e.id()));
    }

    /** The recurring retention job: deletes events older than the retention, in batches; returns how many. */
    public int purgeExpired() {
        Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        int deleted;
        do {
            deleted = store.deleteBefore(cutoff, DELETE_BATCH);
            total += deleted;
        } while (deleted == DELETE_BATCH);
        return total;
    }
}
