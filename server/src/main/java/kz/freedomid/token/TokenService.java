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
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Secrets;

/** Authorization codes and token pairs: minting, exchange, rotation, lookup and revocation. Knows nothing of HTTP. */
public final class TokenService {
    /** Contract 1: access and refresh tokens are exactly 128 characters of [A-Za-z0-9]. */
    public static final int TOKEN_LENGTH = 128;

    public record CodeRequest(Partner partner, UUID userId, UUID sessionId, Set<Grant> grants, String redirectUri,
                              Instant authTime, String amr, String nonce, String codeChallenge) {}

    /**
     * A code exchange. {@code redirectUri} null skips the check (the partner API has no such parameter); the OIDC
     * token endpoint always passes it (RFC 6749 §4.1.3).
     */
    public record Exchange(String code, String redirectUri, String codeVerifier, String revokeUri) {}

    private final TokenStore store;
    private final Secrets secrets;
    private final Ids ids;
    private final Clock clock;
    private final Config.Lifetimes lifetimes;

    public TokenService(TokenStore store, Secrets secrets, Ids ids, Clock clock, Config.Lifetimes lifetimes) {
        this.store = store;
        this.secrets = secrets;
        this.ids = ids;
        this.clock = clock;
        this.lifetimes = lifetimes;
    }

    /** Returns the raw code; only its hash is stored. */
    public String issueCode(CodeRequest request) {
        String code = secrets.alphanumeric(TOKEN_LENGTH);
        Instant now = clock.instant();
        store.insertCode(new AuthCode(Secrets.sha256(code), request.partner().clientId(), request.userId(),
                request.sessionId(), request.grants(), request.redirectUri(), request.authTime(), request.amr(),
                ids.random(), now, now.plus(lifetimes.authCode()), null, request.nonce(), request.codeChallenge()));
        return code;
    }

    /** Exchanges a code for a pair (contract 3.3, 4.3). A second use revokes every pair minted from the code. */
    public TokenOutcome exchangeCode(Partner partner, Exchange exchange) {
        String code = exchange.code();
        if (code == null || code.isEmpty() || code.length() > 512) {
            return new TokenOutcome.Rejected(TokenOutcome.Reason.UNKNOWN);
        }
        Instant now = clock.instant();
        return store.exchangeCode(Secrets.sha256(code), now,
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
                    return null;
                },
                c -> mint(partner.clientId(), lifetimesOf(partner), c.grantId(), c.userId(), c.sessionId(), c.grants(),
                        exchange.revokeUri() != null ? exchange.revokeUri() : partner.revokeUri(), c.authTime(), c.amr(),
                        c.nonce(), now));
    }

    /**
     * Rotates a refresh token (contract 3.4): the old pair dies at once, the new one slides. {@code client} is the
     * authenticated client at the OIDC endpoint (the token must be its own); null on the partner API's PATCH.
     */
    public TokenOutcome refresh(Partner client, String refreshToken) {
        if (refreshToken == null || refreshToken.length() != TOKEN_LENGTH) {
            return new TokenOutcome.Rejected(TokenOutcome.Reason.UNKNOWN);
        }
        Instant now = clock.instant();
        return store.rotateRefresh(Secrets.sha256(refreshToken), now,
                old -> client != null && !old.clientId().equals(client.clientId()) ? TokenOutcome.Reason.WRONG_CLIENT : null,
                // The partner's lifetimes come with the pair from the store's one query: no second lookup on this hot path.
                (old, ttl) -> mint(old.clientId(), ttl, old.grantId(), old.userId(), old.sessionId(), old.grants(),
                        old.revokeUri(), old.authTime(), old.amr(), old.nonce(), now));
    }

    /** A service token (client_credentials): the partner's permissions, no user, no refresh token (RFC 6749 §4.4.3). */
    public IssuedTokens issueServiceToken(Partner partner, Set<String> permissions) {
        Instant now = clock.instant();
        String access = secrets.alphanumeric(TOKEN_LENGTH);
        TokenPair pair = new TokenPair(ids.v7(), ids.random(), partner.clientId(), null, null, Set.of(),
                Secrets.sha256(access), null, now.plus(accessTtl(partner)), now.plus(accessTtl(partner)), null, null,
                null, now, null, permissions);
        store.insertServiceToken(pair);
        return new IssuedTokens(pair, access, null);
    }

    public Optional<AccessGrant> findAccess(String accessToken) {
        if (accessToken == null || accessToken.length() != TOKEN_LENGTH) return Optional.empty();
        return store.findAccess(Secrets.sha256(accessToken), clock.instant());
    }

    /** An access or refresh token of this client, live or not (RFC 7662); another client's token is not found. */
    public Optional<TokenStore.Found> find(Partner client, String token) {
        if (token == null || token.length() != TOKEN_LENGTH) return Optional.empty();
        return store.findByToken(Secrets.sha256(token)).filter(f -> f.pair().clientId().equals(client.clientId()));
    }

    /** RFC 7009: revokes the pair holding this token when it belongs to the client; true when something changed. */
    public boolean revoke(Partner client, String token) {
        return find(client, token).map(f -> store.revokePair(f.pair().id(), clock.instant(), "revoked")).orElse(false);
    }

    /** Logout: every pair granted in this browser session stops working. */
    public TokenStore.SessionRevocation revokeSession(UUID sessionId, String reason) {
        return store.revokeSession(sessionId, clock.instant(), reason);
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

    private Duration accessTtl(Partner partner) {
        return partner != null && partner.accessTtl() != null ? partner.accessTtl() : lifetimes.access();
    }

    private static TokenStore.PartnerLifetimes lifetimesOf(Partner partner) {
        return new TokenStore.PartnerLifetimes(partner.accessTtl(), partner.refreshTtl());
    }

    private IssuedTokens mint(UUID clientId, TokenStore.PartnerLifetimes ttl, UUID grantId, UUID userId, UUID sessionId,
                              Set<Grant> grants, String revokeUri, Instant authTime, String amr, String nonce, Instant now) {
        Duration accessTtl = ttl.access() != null ? ttl.access() : lifetimes.access();
        Duration refreshTtl = ttl.refresh() != null ? ttl.refresh() : lifetimes.refresh();
        String access = secrets.alphanumeric(TOKEN_LENGTH);
        String refresh = secrets.alphanumeric(TOKEN_LENGTH);
        TokenPair pair = new TokenPair(ids.v7(), grantId, clientId, userId, sessionId, grants,
                Secrets.sha256(access), Secrets.sha256(refresh), now.plus(accessTtl), now.plus(refreshTtl),
                revokeUri, authTime, amr, now, nonce, Set.of());
        return new IssuedTokens(pair, access, refresh);
    }
}
