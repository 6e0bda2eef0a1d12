package kz.freedomid.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.platform.Json;

/**
 * One entry of the audit trail. {@code action} is a stable dotted name ({@code signin.failure}, {@code token.issued},
 * {@code admin.partner.updated}); {@code subject} is the user id, client_id or key id it concerns; {@code details} is a
 * small map of identifiers and outcomes, never a secret, OTP, password, token or card number.
 */
public record AuditEvent(UUID id, Instant time, Actor actor, String action, String subject, String clientIp,
                         Map<String, Object> details) {
    public AuditEvent {
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * Details from key/value pairs, in order; null values are left out, UUIDs and times become text, collections
     * lists.
     */
    public static Map<String, Object> details(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            if (value == null) continue;
            out.put((String) keysAndValues[i], switch (value) {
                case UUID id -> id.toString();
                case Instant time -> Json.timestamp(time);
                case Collection<?> items -> items.stream().map(String::valueOf).sorted().toList();
                default -> value;
            });
        }
        return out;
    }
}
