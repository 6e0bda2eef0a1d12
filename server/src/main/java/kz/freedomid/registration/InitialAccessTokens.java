package kz.freedomid.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Secrets;

/**
 * Initial access tokens (RFC 7591 §3, "initial access token"): an operator issues one, a developer registers clients
 * with it. Only the SHA-256 of a token is stored; it is shown once, at creation. Issued and revoked tokens are audited.
 */
public final class InitialAccessTokens {
    /** 64 characters of [A-Za-z0-9], like a client secret: a fast hash at rest is safe. */
    static final int TOKEN_LENGTH = 64;
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    public record TokenInfo(UUID id, String note, Instant createdAt, Instant expiresAt, Integer maxUses, int uses,
                            Instant revokedAt) {
        public String status(Instant now) {
            if (revokedAt != null) return "revoked";
            if (!expiresAt.isAfter(now)) return "expired";
            if (maxUses != null && uses >= maxUses) return "used_up";
            return "active";
        }
    }

    /** A new token: {@code token} is its only appearance anywhere. */
    public record Issued(TokenInfo info, String token) {}

    private final InitialAccessTokenStore store;
    private final Secrets secrets;
    private final Ids ids;
    private final Clock clock;
    private final AuditLog audit;

    public InitialAccessTokens(InitialAccessTokenStore store, Secrets secrets, Ids ids, Clock clock, AuditLog audit) {
        this.store = store;
        this.secrets = secrets;
        this.ids = ids;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * @param lifetime null for {@link #DEFAULT_LIFETIME}; IllegalArgumentException beyond a year or not positive
     * @param maxUses null for no limit
     * @param source where the operator acted from ({@code cli} or an IP address), for the audit trail
     */
    public Issued create(Duration lifetime, Integer maxUses, String note, String source) {
        Duration ttl = lifetime == null ? DEFAULT_LIFETIME : lifetime;
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("The lifetime must be positive and at most 365 days.");
        }
        if (maxUses != null && (maxUses < 1 || maxUses > 1_000_000)) {
            throw new IllegalArgumentException("The number of uses must be between 1 and 1000000.");
        }
        if (note != null && note.length() > 200) throw new IllegalArgumentException("The note may have 200 characters at most.");
        Instant now = clock.instant();
        String token = secrets.alphanumeric(TOKEN_LENGTH);
        TokenInfo info = new TokenInfo(ids.random(), note, now, now.plus(ttl), maxUses, 0, null);
        store.insert(info, Secrets.sha256(token));
        audit.record(Actor.ADMIN, "admin.registration_token.created", info.id(), source,
                AuditEvent.details("expires_at", info.expiresAt().toString(), "max_uses", maxUses, "note", note));
        return new Issued(info, token);
    }

    public List<TokenInfo> list() {
        return store.list();
    }

    public boolean revoke(UUID id, String source) {
        boolean revoked = store.revoke(id, clock.instant());
        if (revoked) audit.record(Actor.ADMIN, "admin.registration_token.revoked", id, source, java.util.Map.of());
        return revoked;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The usable token with this value, without using it up. */
    Optional<TokenInfo> find(String token) {
        if (token == null || token.length() > 512) return Optional.empty();
        return store.findUsable(Secrets.sha256(token), clock.instant());
    }

    /** Counts one use; false when it stopped being usable since {@link #find} (the last use went to someone else). */
    boolean consume(UUID id) {
        return store.consume(id, clock.instant());
    }
}
