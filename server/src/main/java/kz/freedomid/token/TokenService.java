package kz.freedomid.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import io.micrometer.core.instrument.MeterRegistry;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Secrets;

/** Authorization codes and token pairs: minting, exchange, rotation, lookup and revocation. Knows nothing of HTTP. */
public final class TokenService {
    /** Contract 1: access and refresh tokens are exactly 128 characters of [A-Za-z0-9]. */
    public static final int TOKEN_LENGTH = 128;

    /** {@code dpopJkt}: the DPoP key the code is bound to by the authorization request's dpop_jkt (RFC 9449 §10). */
    public record CodeRequest(Partner partner, UUID userId, UUID sessionId, Set<Grant> grants, String redirectUri,
                              Instant authTime, String amr, String nonce, String codeChallenge, String dpopJkt) {
        public CodeRequest(Partner partner, UUID userId, UUID sessionId, Set<Grant> grants, String redirectUri,
                           Instant authTime, String amr, String nonce, String codeChallenge) {
            this(partner, userId, sessionId, grants, redirectUri, authTime, amr, nonce, codeChallenge, null);
        }
    }

    /**
     * A code exchange. {@code redirectUri} null skips the check (the partner API has no such parameter); the OIDC
     * token endpoint always passes it (RFC 6749 §4.1.3). {@code dpopJkt} is the key of the request's DPoP proof, if any:
     * the pair is bound to it (RFC 9449 §5).
     */
    public record Exchange(String code, String redirectUri, String codeVerifier, String revokeUri, String dpopJkt) {
        public Exchange(String code, String redirectUri, String codeVerifier, String revokeUri) {
            this(code, redirectUri, codeVerifier, revokeUri, null);
        }
    }

    private final TokenStore store;
    private final Secrets secrets;
    private final Ids ids;
    private final Clock clock;
    private final Config.Lifetimes lifetimes;
    private final AuditLog audit;
    private final TokenMeters meters;

    public TokenService(TokenStore store, Secrets secrets, Ids ids, Clock clock, Config.Lifetimes lifetimes, AuditLog audit,
            MeterRegistry meters) {
        this.meters = new TokenMeters(meters);
        this.store = store;
        this.secrets = secrets;
        this.ids = ids;
        this.clock = clock;
        this.lifetimes = lifetimes;
        this.audit = audit;
    }

    /** Returns the raw code; only its hash is stored. */
    public String issueCode(CodeRequest request) {
        String code = secrets.alphanumeric(TOKEN_LENGTH);
        Instant now = clock.instant();
        store.insertCode(new AuthCode(Secrets.sha256(code), request.partner().clientId(), request.userId(),
                request.sessionId(), request.grants(), request.redirectUri(), request.authTime(), request.amr(),
                ids.random(), now, now.plus(lifetimes.authCode()), null, request.nonce(), request.codeChallenge(),
                request.dpopJkt()));
        return code;
    }

    /**
     * Exchanges a code for a pair (contract 3.3, 4.3). A second use revokes every pair minted from the code. Audited
     * ({@code token.issued}, {@code token.reuse_detected}) with the partner's {@code clientIp}.
     */
    public TokenOutcome exchangeCode(Partner partner, Exchange exchange, String clientIp) {
        String code = exchange.code();
        if (code == null || code.isEmpty() || code.length() > 512) {
            return new TokenOutcome.Rejected(TokenOutcome.Reason.UNKNOWN);
        }
        Instant now = clock.instant();
        TokenOutcome outcome = store.exchangeCode(Secrets.sha256(code), now,
                c -> {
                    if (!c.clientId().equals(partner.clientId())) return TokenOutcome.Reason.WRONG_CLIENT;
                    if (exchange.redirectUri() != null && !exchange.redirectUri().equals(c.redirectUri())) {
                        return TokenOutcome.Reason.REDIRECT_MISMATCH;
                    }
                    if (c.codeChallenge() != null && !pkceMatches(c.codeChallenge(), exchange.codeVerifier())) {
                        return TokenOutcome.Reason.PKCE_FAILED;
                    }
                    // RFC 9700 §4.8.2: a verifier for a code requested without a challenge is a PKCE downgrade.
                    if (c.codeChallenge() == null && exchange.codeVerifier() != null) return TokenOutcome.Reason.PKCE_FAILED;
                    // RFC 9449 §10: a code bound with dpop_jkt is redeemed only with a proof of that key.
                    if (c.dpopJkt() != null && !c.dpopJkt().equals(exchange.dpopJkt())) return TokenOutcome.Reason.DPOP_KEY_MISMATCH;
                    return null;
                },
                c -> issued(mint(partner.clientId(), lifetimesOf(partner), c.grantId(), c.userId(), c.sessionId(), c.grants(),
                        exchange.revokeUri() != null ? exchange.revokeUri() : partner.revokeUri(), c.authTime(), c.amr(),
                        c.nonce(), exchange.dpopJkt(), now), clientIp));
        recordReuse(outcome, "authorization_code", clientIp);
        if (outcome instanceof TokenOutcome.Issued) meters.issuedByCode.increment();
        return outcome;
    }

    /**
     * Rotates a refresh token (contract 3.4): the old pair dies at once, the new one slides. {@code client} is the
     * authenticated client at the OIDC endpoint (the token must be its own); null on the partner API's PATCH.
     */
    public TokenOutcome refresh(Partner client, String refreshToken, String clientIp) {
        return refresh(client, refreshToken, clientIp, null);
    }

    /**
     * A refresh with the key of the request's DPoP proof ({@code dpopJkt}, null without one). RFC 9449 §5: a public
     * client's bound refresh token needs a proof of the same key; a confidential client's needs a proof (it may move to a
     * new key, since the client authenticates). The new pair is bound to the proof's key.
     */
    public TokenOutcome refresh(Partner client, String refreshToken, String clientIp, String dpopJkt) {
        if (refreshToken == null || refreshToken.length() != TOKEN_LENGTH) {
            return new TokenOutcome.Rejected(TokenOutcome.Reason.UNKNOWN);
        }
        Instant now = clock.instant();
        TokenOutcome outcome = store.rotateRefresh(Secrets.sha256(refreshToken), now,
                old -> client != null && !old.clientId().equals(client.clientId()) ? TokenOutcome.Reason.WRONG_CLIENT
                        : refreshKeyRefused(client, old, dpopJkt) ? TokenOutcome.Reason.DPOP_KEY_MISMATCH : null,
                // The partner's lifetimes come with the pair from the store's one query: no second lookup on this hot path.
                (old, ttl) -> refreshed(old, mint(old.clientId(), ttl, old.grantId(), old.userId(), old.sessionId(),
                        old.grants(), old.revokeUri(), old.authTime(), old.amr(), old.nonce(), dpopJkt, now), clientIp));
        recordReuse(outcome, "refresh_token", clientIp);
        if (outcome instanceof TokenOutcome.Issued) meters.refreshed.increment();
        return outcome;
    }

    /** A service token (client_credentials): the partner's permissions, no user, no refresh token (RFC 6749 §4.4.3). */
    public IssuedTokens issueServiceToken(Partner partner, Set<String> permissions, String clientIp) {
        return issueServiceToken(partner, permissions, clientIp, null);
    }

    /** The same, bound to the key of the request's DPoP proof when {@code dpopJkt} is set (RFC 9449 §5). */
    public IssuedTokens issueServiceToken(Partner partner, Set<String> permissions, String clientIp, String dpopJkt) {
        Instant now = clock.instant();
        String access = secrets.alphanumeric(TOKEN_LENGTH);
        TokenPair pair = new TokenPair(ids.v7(), ids.random(), partner.clientId(), null, null, Set.of(),
                Secrets.sha256(access), null, now.plus(accessTtl(partner)), now.plus(accessTtl(partner)), null, null,
                null, now, null, permissions, dpopJkt);
        store.insertServiceToken(pair, audit.event(Actor.partner(partner.clientId()), "token.issued",
                partner.clientId().toString(), clientIp, AuditEvent.details("grant_type", "client_credentials",
                        "pair_id", pair.id(), "permissions", permissions)));
        meters.issuedForService.increment();
        return new IssuedTokens(pair, access, null);
    }

    /**
     * A pair for a user who approved a device authorization request (RFC 8628 §3.5), bound to the session they approved
     * in, and to the device's DPoP key when it sent a proof ({@code dpopJkt}, else null). Call inside the transaction
     * that consumes the request, so that the request buys tokens once.
     */
    public IssuedTokens issueForDevice(Partner partner, UUID userId, UUID sessionId, Set<Grant> grants, Instant authTime,
                                       String amr, String clientIp, String dpopJkt) {
        Instant now = clock.instant();
        IssuedTokens issued = mint(partner.clientId(), lifetimesOf(partner), ids.random(), userId, sessionId, grants,
                partner.revokeUri(), authTime, amr, null, dpopJkt, now);
        TokenPair pair = issued.pair();
        store.insertServiceToken(pair, audit.event(Actor.partner(partner.clientId()), "token.issued", subjectOf(pair),
                clientIp, AuditEvent.details("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "pair_id",
                        pair.id(), "grant_id", pair.grantId())));
        meters.issuedByCode.increment();
        return issued;
    }

    /**
     * A live access token of either kind presented as a bearer token; callers tell a user's token from a service token by
     * its type. A token bound to a DPoP key is not found: it is no bearer token (RFC 9449 §7.2).
     */
    public Optional<Access> findAccess(String accessToken) {
        return findAccess(accessToken, null);
    }

    /** A live access token presented with a verified DPoP proof of key {@code dpopJkt}: found only when bound to it. */
    public Optional<Access> findAccess(String accessToken, String dpopJkt) {
        if (accessToken == null || accessToken.length() != TOKEN_LENGTH) return Optional.empty();
        return store.findAccess(Secrets.sha256(accessToken), clock.instant())
                .filter(access -> java.util.Objects.equals(access.dpopJkt(), dpopJkt));
    }

    /** An access or refresh token of this client, live or not (RFC 7662); another client's token is not found. */
    public Optional<TokenStore.Found> find(Partner client, String token) {
        if (token == null || token.length() != TOKEN_LENGTH) return Optional.empty();
        return store.findByToken(Secrets.sha256(token)).filter(f -> f.pair().clientId().equals(client.clientId()));
    }

    /** RFC 7009: revokes the pair holding this token when it belongs to the client; true when something changed. */
    public boolean revoke(Partner client, String token, String clientIp) {
        Optional<TokenStore.Found> found = find(client, token);
        if (found.isEmpty() || !store.revokePair(found.get().pair().id(), clock.instant(), "revoked")) return false;
        TokenPair pair = found.get().pair();
        meters.revokedByClient.increment();
        audit.record(Actor.partner(client.clientId()), "token.revoked", subjectOf(pair), clientIp,
                AuditEvent.details("pair_id", pair.id(), "token_type", found.get().refresh() ? "refresh_token" : "access_token",
                        "reason", "revoked"));
        return true;
    }

    /** Logout: every pair granted in this browser session stops working. */
    public TokenStore.SessionRevocation revokeSession(UUID sessionId, UUID userId, String reason) {
        TokenStore.SessionRevocation revocation = store.revokeSession(sessionId, clock.instant(), reason);
        meters.revokedWithSession.increment(revocation.revoked().size());
        if (!revocation.revoked().isEmpty()) {
            audit.record(Actor.SYSTEM, "token.revoked", userId, null, AuditEvent.details("reason", reason,
                    "session_id", sessionId, "pair_ids", revocation.revoked().stream().map(TokenStore.RevokedPair::id).toList()));
        }
        return revocation;
    }

    /** The user withdrew this partner's access: every pair they granted it stops working. */
    public java.util.List<TokenStore.RevokedPair> revokeUserAtPartner(UUID userId, UUID clientId, String reason) {
        java.util.List<TokenStore.RevokedPair> revoked = store.revokeUserAtPartner(userId, clientId, clock.instant(), reason);
        meters.revokedAtPartner.increment(revoked.size());
        if (!revoked.isEmpty()) {
            audit.record(Actor.SYSTEM, "token.revoked", userId, null, AuditEvent.details("reason", reason,
                    "pair_ids", revoked.stream().map(TokenStore.RevokedPair::id).toList()));
        }
        return revoked;
    }

    public Instant now() {
        return clock.instant();
    }

    /** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge; verifiers are 43–128 characters. */
    static boolean pkceMatches(String challenge, String verifier) {
        if (verifier == null || verifier.length() < 43 || verifier.length() > 128
                || !verifier.matches("[A-Za-z0-9\\-._~]+")) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Secrets.constantTimeEquals(challenge, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean refreshKeyRefused(Partner client, TokenPair old, String dpopJkt) {
        if (old.dpopJkt() == null) return false;
        if (dpopJkt == null) return true; // also the partner API's PATCH, which takes no proof
        return client != null && client.settings().publicClient() && !old.dpopJkt().equals(dpopJkt);
    }

    private Duration accessTtl(Partner partner) {
        return partner != null && partner.accessTtl() != null ? partner.accessTtl() : lifetimes.access();
    }

    private static TokenStore.PartnerLifetimes lifetimesOf(Partner partner) {
        return new TokenStore.PartnerLifetimes(partner.accessTtl(), partner.refreshTtl());
    }

    private TokenStore.Minted issued(IssuedTokens tokens, String clientIp) {
        TokenPair pair = tokens.pair();
        return new TokenStore.Minted(tokens, audit.event(Actor.partner(pair.clientId()), "token.issued", subjectOf(pair),
                clientIp, AuditEvent.details("grant_type", "authorization_code", "pair_id", pair.id(), "grant_id", pair.grantId())));
    }

    private TokenStore.Minted refreshed(TokenPair old, IssuedTokens tokens, String clientIp) {
        TokenPair pair = tokens.pair();
        return new TokenStore.Minted(tokens, audit.event(Actor.partner(pair.clientId()), "token.refreshed", subjectOf(pair),
                clientIp, AuditEvent.details("pair_id", pair.id(), "previous_pair_id", old.id(), "grant_id", pair.grantId())));
    }

    /** A reused code or refresh token means a leak (RFC 9700 §4.14.2): the grant was revoked, and the trail says so. */
    private void recordReuse(TokenOutcome outcome, String presented, String clientIp) {
        if (outcome instanceof TokenOutcome.Rejected(var reason, var revoked) && revoked != null) {
            meters.revokedOnReuse.increment(revoked.pairs());
            audit.record(Actor.partner(revoked.clientId()), "token.reuse_detected", revoked.userId(), clientIp,
                    AuditEvent.details("presented", presented, "grant_id", revoked.grantId(), "pairs_revoked", revoked.pairs()));
        }
    }

    /** The user a pair acts for, or the partner itself for a service token. */
    private static String subjectOf(TokenPair pair) {
        return (pair.userId() != null ? pair.userId() : pair.clientId()).toString();
    }

    private IssuedTokens mint(UUID clientId, TokenStore.PartnerLifetimes ttl, UUID grantId, UUID userId, UUID sessionId,
                              Set<Grant> grants, String revokeUri, Instant authTime, String amr, String nonce, String dpopJkt,
                              Instant now) {
        Duration accessTtl = ttl.access() != null ? ttl.access() : lifetimes.access();
        Duration refreshTtl = ttl.refresh() != null ? ttl.refresh() : lifetimes.refresh();
        String access = secrets.alphanumeric(TOKEN_LENGTH);
        String refresh = secrets.alphanumeric(TOKEN_LENGTH);
        TokenPair pair = new TokenPair(ids.v7(), grantId, clientId, userId, sessionId, grants,
                Secrets.sha256(access), Secrets.sha256(refresh), now.plus(accessTtl), now.plus(refreshTtl),
                revokeUri, authTime, amr, now, nonce, Set.of(), dpopJkt);
        return new IssuedTokens(pair, access, refresh);
    }
}
