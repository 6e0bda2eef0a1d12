package kz.freedomid.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;

/** An authorization code, known to us only by its hash. Every pair minted from it shares {@code grantId}. */
public record AuthCode(String codeHash, UUID clientId, UUID userId, UUID sessionId, Set<Grant> grants,
                       String redirectUri, Instant authTime, String amr, UUID grantId,
                       Instant createdAt, Instant expiresAt, Instant usedAt, String nonce, String codeChallenge,
                       String dpopJkt) {}
