package kz.freedomid.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditQuery;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.PageCursor;

/**
 * The filters of an audit listing, from the admin API's query or the command line's options: {@code actor} as
 * {@code kind} or {@code kind:id}, {@code subject} exactly, {@code action} exactly or by prefix ({@code token.*}),
 * {@code since} (inclusive) and {@code until} (exclusive) as ISO-8601 instants.
 */
final class AuditFilters {
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_.]{1,64}\\*?");

    private AuditFilters() {}

    static AuditQuery parse(String actor, String subject, String action, String since, String until, int limit,
                            PageCursor after, FieldErrors errors) {
        Actor parsedActor = null;
        if (present(actor)) {
            parsedActor = Actor.parse(actor).orElse(null);
            if (parsedActor == null) errors.add("actor", "The actor must be user, partner, admin or system, optionally followed by :id.");
        }
        if (present(subject) && subject.length() > 64) errors.add("subject", "The subject has 64 characters at most.");
        if (present(action) && !ACTION.matcher(action).matches()) {
            errors.add("action", "The action is a dotted name such as token.issued, or a prefix such as token.*.");
        }
        Instant from = instant("since", since, errors);
        Instant to = instant("until", until, errors);
        if (from != null && to != null && !from.isBefore(to)) errors.add("until", "The until time must be after since.");
        return new AuditQuery(parsedActor, present(subject) ? subject : null, present(action) ? action : null, from, to,
                limit, after);
    }

    private static Instant instant(String field, String raw, FieldErrors errors) {
        if (!present(raw)) return null;
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            errors.add(field, "The " + field + " must be an ISO-8601 UTC time such as 2025-03-04T06:35:50Z.");
            return null;
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }
}
