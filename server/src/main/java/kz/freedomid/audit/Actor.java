package kz.freedomid.audit;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Who acted: a user, a partner (by client_id), the operator (admin API or CLI), or the server itself. */
public record Actor(Kind kind, String id) {
    public enum Kind {
        USER, PARTNER, ADMIN, SYSTEM;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> parse(String wireName) {
            for (Kind kind : values()) {
                if (kind.wireName().equals(wireName)) return Optional.of(kind);
            }
            return Optional.empty();
        }
    }

    public static final Actor ADMIN = new Actor(Kind.ADMIN, null);
    public static final Actor SYSTEM = new Actor(Kind.SYSTEM, null);

    /** {@code id} may be null: a failed sign-in for a phone that belongs to nobody. */
    public static Actor user(UUID id) {
        return new Actor(Kind.USER, id == null ? null : id.toString());
    }

    public static Actor partner(UUID clientId) {
        return new Actor(Kind.PARTNER, clientId.toString());
    }

    /** {@code kind} or {@code kind:id}, as the audit filters take it (e.g. {@code partner:5f0c…}); empty when malformed. */
    public static Optional<Actor> parse(String text) {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        String id = colon < 0 ? null : text.substring(colon + 1);
        if (id != null && (id.isEmpty() || id.length() > 64)) return Optional.empty();
        return Kind.parse(kind).map(k -> new Actor(k, id));
    }

    @Override
    public String toString() {
        return id == null ? kind.wireName() : kind.wireName() + ":" + id;
    }
}
