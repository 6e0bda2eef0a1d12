package kz.freedomid.audit;

import java.time.Instant;
import java.util.List;

public interface AuditStore {
    void append(AuditEvent event);

    /** Up to {@code query.limit() + 1} events, newest first, after the query's cursor. */
    List<AuditEvent> search(AuditQuery query);

    /** Deletes at most {@code batch} events older than {@code cutoff}; returns how many. */
    int deleteBefore(Instant cutoff, int batch);
}
