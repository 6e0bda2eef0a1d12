package kz.freedomid.token;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import kz.freedomid.audit.AuditEvent;

/** Codes and token pairs. Each method that consumes something is one transaction decided by a conditional update. */
public interface TokenStore {
    void insertCode(AuthCode code);

    /**
     * Consumes the code and stores the pair {@code mint} makes from it, with its audit event, atomically. A code already
     * used revokes every pair minted from it. {@code check} may reject the code (wrong client, redirect mismatch)
     * without consuming it.
     */
    TokenOutcome exchangeCode(String codeHash, Instant now, Function<AuthCode, TokenOutcome.Reason> check,
                              Function<AuthCode, Minted> mint);

    /**
     * Rotates the pair holding this refresh token, storing the new pair with its audit event in the same transaction; a
     * rotated token presented again revokes the whole grant.
     */
    TokenOutcome rotateRefresh(String refreshHash, Instant now, Function<TokenPair, TokenOutcome.Reason> check,
                               java.util.function.BiFunction<TokenPair, PartnerLifetimes, Minted> mint);

    /** A new pair and the audit event that records it: written together, so the trail has no gap and no extra commit. */
    record Minted(IssuedTokens tokens, AuditEvent audit) {}

    /** The partner's own token lifetimes, read with the pair in the same query; null parts mean the defaults. */
    record PartnerLifetimes(java.time.Duration access, java.time.Duration refresh) {}

    /** A pair minted without a code (a service token, or a device grant's pair), with its audit event. */
    void insertServiceToken(TokenPair pair, AuditEvent audit);

    /** A live access token: a user's (with the user's current data) or a service token, in one round trip. */
    Optional<Access> findAccess(String accessHash, Instant now);

    int revokeGrant(UUID grantId, Instant now, String reason);

    /** The pair holding this access or refresh token hash, whatever its state. */
    Optional<Found> findByToken(String tokenHash);

    boolean revokePair(UUID pairId, Instant now, String reason);

    /**
     * Revokes every live pair granted in this browser session (logout), in one transaction; returns the pairs this call
     * revoked (a pair a concurrent call revoked first is not returned) and every partner with a pair in the session.
     */
    SessionRevocation revokeSession(UUID sessionId, Instant now, String reason);

    /**
     * Revokes every live pair of the user at this partner (the user revoked the partner), or at every partner when
     * {@code clientId} is null; returns those revoked here.
     */
    java.util.List<RevokedPair> revokeUserAtPartner(UUID userId, UUID clientId, Instant now, String reason);

    /** A pair revoked because its session ended: what a revoke callback (contract 3.10) needs. */
    record RevokedPair(UUID id, UUID clientId, String revokeUri) {}

    /** @param clients every partner that got a pair in the session, live or not (for back-channel logout) */
    record SessionRevocation(java.util.List<RevokedPair> revoked, java.util.Set<UUID> clients) {}

    /**
     * A pair found by one of its tokens. {@code refresh} tells which token matched; {@code live} is false once the pair
     * was revoked or rotated, or its user or partner disabled.
     */
    record Found(TokenPair pair, boolean refresh, boolean live) {}
}
