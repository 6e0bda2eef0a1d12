package kz.freedomid.admin;

import java.time.Duration;
import java.util.List;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.keys.SigningKeys;

/** Signing keys for operators: their states and times (never key material), and an audited rotation. */
public final class KeyAdmin {
    public static final Duration MAX_LEAD = Duration.ofDays(30);

    private final SigningKeys keys;
    private final Duration retention;
    private final AuditLog audit;

    /** @param retention how long a superseded key stays published (what the key upkeep uses) */
    public KeyAdmin(SigningKeys keys, Duration retention, AuditLog audit) {
        this.keys = keys;
        this.retention = retention;
        this.audit = audit;
    }

    public List<SigningKeys.KeyInfo> list() {
        return keys.describe(retention);
    }

    /** Publishes new RS256 and ES256 keys that sign after {@code lead}; returns them. One audit event per key. */
    public List<SigningKeys.KeyInfo> rotate(Duration lead, String clientIp) {
        if (lead.isNegative() || lead.compareTo(MAX_LEAD) > 0) {
            throw new IllegalArgumentException("The lead must be between PT0S and " + MAX_LEAD + ".");
        }
        List<String> kids = keys.rotate(lead);
        List<SigningKeys.KeyInfo> created = list().stream().filter(k -> kids.contains(k.kid())).toList();
        for (SigningKeys.KeyInfo key : created) {
            audit.record(Actor.ADMIN, "admin.key.rotated", key.kid(), clientIp,
                    AuditEvent.details("alg", key.alg(), "activates_at", key.activatesAt()));
        }
        return created;
    }
}
