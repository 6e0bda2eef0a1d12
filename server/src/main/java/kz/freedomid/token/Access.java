package kz.freedomid.token;

import java.time.Instant;
import java.util.UUID;

/** A live access token, of one of two kinds: a user's ({@link AccessGrant}) or a partner's service token. */
public sealed interface Access permits AccessGrant, ServiceAccess {
    UUID pairId();

    UUID clientId();

    Instant accessExpiresAt();

    /** The DPoP key thumbprint the token is bound to (RFC 9449 §6), null for a bearer token. */
    String dpopJkt();
}
