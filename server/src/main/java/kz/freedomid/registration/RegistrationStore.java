package kz.freedomid.registration;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The registration of a dynamically registered client: its registration access token's hash and extra metadata. */
interface RegistrationStore {
    record Stored(UUID clientId, String accessTokenHash, UUID initialTokenId, String metadataJson, Instant createdAt) {}

    void insert(Stored registration);

    Optional<Stored> find(UUID clientId);

    /** Replaces the metadata and the token hash; false when the registration is gone. */
    boolean update(UUID clientId, String accessTokenHash, String metadataJson, Instant now);

    /** False when there was none. */
    boolean delete(UUID clientId);
}
