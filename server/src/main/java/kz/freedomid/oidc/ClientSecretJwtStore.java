package kz.freedomid.oidc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The partners that use client_secret_jwt, with their sealed secrets (null until sealed). */
public interface ClientSecretJwtStore {
    /** Switches the method on for the partner, with its sealed secret or null; replaces what was there. */
    void enable(UUID clientId, String sealedSecret, Instant now);

    /** Replaces the sealed secret of a partner that uses the method; false when it does not. */
    boolean reseal(UUID clientId, String sealedSecret, Instant now);

    boolean disable(UUID clientId);

    /** Present when the partner uses the method; the inner value is the sealed secret, empty until sealed. */
    Optional<Optional<String>> find(UUID clientId);
}
