package kz.freedomid.oidc;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.keys.MasterKey;

/**
 * client_secret_jwt, opt-in per partner: client secrets are otherwise kept only as SHA-256, which cannot check an HMAC.
 * For a partner that opts in, the secret is also sealed under the master key at registration and at every rotation;
 * the trade-off is in SECURITY.md.
 */
public final class ClientSecretJwt {
    public static final String METHOD = "client_secret_jwt";

    private final ClientSecretJwtStore store;
    private final MasterKey masterKey;
    private final Clock clock;

    public ClientSecretJwt(ClientSecretJwtStore store, MasterKey masterKey, Clock clock) {
        this.store = store;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /** Switches the method on; {@code secret} null (not known here, e.g. on an update) waits for the next rotation. */
    public void enable(UUID clientId, String secret) {
        store.enable(clientId, secret == null ? null : masterKey.encrypt(secret), clock.instant());
    }

    /** Seals a rotated secret when the partner uses the method; false (and nothing stored) when it does not. */
    public boolean reseal(UUID clientId, String secret) {
        return store.find(clientId).isPresent() && store.reseal(clientId, masterKey.encrypt(secret), clock.instant());
    }

    public boolean disable(UUID clientId) {
        return store.disable(clientId);
    }

    public boolean enabled(UUID clientId) {
        return store.find(clientId).isPresent();
    }

    /** The secret to check an HMAC with: only for a partner that uses the method and whose secret is sealed. */
    Optional<String> secretOf(UUID clientId) {
        return store.find(clientId).flatMap(sealed -> sealed).map(masterKey::decrypt);
    }
}
