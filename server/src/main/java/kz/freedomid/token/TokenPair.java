package kz.freedomid.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;

/**
 * One access + refresh token pair (contract 1), stored by the hashes of its tokens. {@code dpopJkt} is the thumbprint of
 * the DPoP key the pair is bound to (RFC 9449 §6), null for a bearer pair.
 */
public record TokenPair(UUID id, UUID grantId, UUID clientId, UUID userId, UUID sessionId, Set<Grant> grants,
                        String accessHash, String refreshHash, Instant accessExpiresAt, Instant refreshExpiresAt,
                        String revokeUri, Instant authTime, String amr, Instant createdAt, String nonce,
                        java.util.Set<String> permissions, String dpopJkt) {
    /** A service token (client_credentials): no user, no refresh token. */
    public boolean isServiceToken() {
        return userId == null;
    }
}
