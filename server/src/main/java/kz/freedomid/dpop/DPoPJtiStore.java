package kz.freedomid.dpop;

import java.time.Instant;

/** The jti of each accepted DPoP proof while its iat is inside the window (RFC 9449 §11.1), shared by all nodes. */
public interface DPoPJtiStore {
    /** False when this jti (a hash of the key thumbprint and the jti) was already remembered: a replay. */
    boolean remember(String jtiHash, Instant expiresAt);

    int deleteExpired(Instant before);
}
