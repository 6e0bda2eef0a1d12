package kz.freedomid.oidc;

import java.time.Instant;
import java.util.UUID;

/** The jti of each accepted client assertion until it expires (RFC 7523 §3: a jti is accepted once). */
public interface AssertionJtiStore {
    /** False when this client's jti was already remembered. */
    boolean remember(UUID clientId, String jti, Instant expiresAt);

    int deleteExpired(Instant before);
}
