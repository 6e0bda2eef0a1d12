package kz.freedomid.oidc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Pushed authorization requests (RFC 9126), kept by the SHA-256 of the random part of their request_uri. */
public interface PushedRequestStore {
    void insert(String uriHash, UUID clientId, String params, Instant createdAt, Instant expiresAt);

    /** Marks the request used and returns its parameters, if it is this client's, unused and unexpired; else empty. */
    Optional<String> consume(String uriHash, UUID clientId, Instant now);

    /** Deletes requests that expired before {@code before}; how many. */
    int deleteExpired(Instant before);
}
