package kz.freedomid.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Config;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Secrets;

/** Authorization codes and token pairs: minting, exchange, rotation and lookup. Knows nothing of HTTP. */
public final class TokenService {
    /** Contract 1: access and refresh tokens are exactly 128 characters of [A-Za-z0-9]. */
    public static final int TOKEN_LENGTH = 128;

    public record CodeRequest(Partner partner, UUID userId, UUID sessionId, Set<Grant> grants, String redirectUri,
                              Instant authTime, String amr) {}

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
                ids.random(), now, now.plus(lifetimes.authCode()), null));
        return code;
    }

    /** Exchanges a code for a pair (contract 3.3). A second use revokes every pair minted from the code. */
    public TokenOutcome exchangeCode(Partner partner, String code, String redirectUri, String revokeUri) {
        if (code == null || code.isEmpty() || code.length() > 512) {
            return new TokenOutcome.Rejected(TokenOutcome.Reason.UNKNOWN);
        }
        Instant now = clock.instant();
        return store.exchangeCode(Secrets.sha256(code), now,
                c -> {
                    if (!c.clientId().equals(partner.clientId())) return TokenOutcome.Reason.WRONG_CLIENT;
                    if (redirectUri != null && !redirectUri.equals(c.redirectUri())) {
                        return TokenOutcome.Reason.REDIRECT_MISMATCH;
                    }
                    return null;
                },
                c -> mint(partner, c.grantId(), c.userId(), c.sessionId(), c.grants(),
                        revokeUri != null ? revokeUri : partner.revokeUri(), c.authTime(), c.amr(), now));
    }

    /** Rotates a refresh token (contract 3.4): the old pair dies at once, the new one slides 30 days. */
    public TokenOutcome refresh(Partner partnerOrNull, String refreshToken) {
        if (refreshToken == null || refreshToken.length() != TOKEN_LENGTH) {
            return new TokenOutcome.Rejected(TokenOutcome.Reason.UNKNOWN);
        }
        Instant now = clock.instant();
        return store.rotateRefresh(Secrets.sha256(refreshToken), now, old ->
                mint(partnerOrNull, old.grantId(), old.userId(), old.sessionId(), old.grants(), old.revokeUri(),
                        old.authTime(), old.amr(), now, old.clientId()));
    }

    public Optional<AccessGrant> findAccess(String accessToken) {
        if (accessToken == null || accessToken.length() != TOKEN_LENGTH) return Optional.empty();
        return store.findAccess(Secrets.sha256(accessToken), clock.instant());
    }

    private IssuedTokens mint(Partner partner, UUID grantId, UUID userId, UUID sessionId, Set<Grant> grants,
                              String revokeUri, Instant authTime, String amr, Instant now) {
        return mint(partner, grantId, userId, sessionId, grants, revokeUri, authTime, amr, now, partner.clientId());
    }

    private IssuedTokens mint(Partner partner, UUID grantId, UUID userId, UUID sessionId, Set<Grant> grants,
                              String revokeUri, Instant authTime, String amr, Instant now, UUID clientId) {
        Duration accessTtl = partner != null && partner.accessTtl() != null ? partner.accessTtl() : lifetimes.access();
        Duration refreshTtl = partner != null && partner.refreshTtl() != null ? partner.refreshTtl() : lifetimes.refresh();
        String access = secrets.alphanumeric(TOKEN_LENGTH);
        String refresh = secrets.alphanumeric(TOKEN_LENGTH);
        TokenPair pair = new TokenPair(ids.v7(), grantId, clientId, userId, sessionId, grants,
                Secrets.sha256(access), Secrets.sha256(refresh), now.plus(accessTtl), now.plus(refreshTtl),
                revokeUri, authTime, amr, now);
        return new IssuedTokens(pair, access, refresh);
    }
}
