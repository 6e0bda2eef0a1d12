package kz.freedomid.oidc;

import java.util.Map;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.token.TokenOutcome;
import kz.freedomid.token.TokenService;

/** grant_type=refresh_token (RFC 6749 §6), with the partner API's rotation and reuse detection (contract 3.4). */
final class RefreshTokenGrant implements TokenGrant {
    private final TokenService tokens;
    private final TokenResponseBuilder responses;

    RefreshTokenGrant(TokenService tokens, TokenResponseBuilder responses) {
        this.tokens = tokens;
        this.responses = responses;
    }

    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp) {
        return grant(client, params, clientIp, null);
    }

    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp, String dpopJkt) {
        String refreshToken = params.required("refresh_token");
        TokenOutcome outcome = tokens.refresh(client, refreshToken, clientIp, dpopJkt);
        if (outcome instanceof TokenOutcome.Rejected rejected) {
            throw OAuthException.invalidGrant(switch (rejected.reason()) {
                case REUSED -> "The refresh token was already used; the grant is revoked.";
                // RFC 9449 §5: a bound refresh token is refreshed only with a proof (of the same key, for a public client).
                case DPOP_KEY_MISMATCH -> "The refresh token is bound to a DPoP key; send a proof of that key.";
                default -> "The refresh token is invalid or expired.";
            });
        }
        return responses.build(client, ((TokenOutcome.Issued) outcome).tokens(), tokens.now());
    }
}
