package kz.freedomid.audit;

import java.time.Instant;
import kz.freedomid.platform.PageCursor;

/**
 * A filter over the audit trail, newest first; null parts do not filter. {@code actor} without an id matches every
 * actor of that kind; {@code action} ending in {@code *} matches by prefix; {@code since} is inclusive, {@code until}
 * exclusive.
 */
public record AuditQuery(Actor actor, String subject, String action, Instant since, Instant until, int limit,
                         PageCursor after) {
    public boolean actionIsPrefix() {
        return action != null && action.endsWith("*");
    }
}
