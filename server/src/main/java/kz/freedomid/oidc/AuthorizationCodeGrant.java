package kz.freedomid.oidc;

import java.util.Map;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.token.TokenOutcome;
import kz.freedomid.token.TokenService;

/** grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
final class AuthorizationCodeGrant implements TokenGrant {
    private final TokenService tokens;
    private final TokenResponseBuilder responses;

    AuthorizationCodeGrant(TokenService tokens, TokenResponseBuilder responses) {
        this.tokens = tokens;
        this.responses = responses;
    }

    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp) {
        return grant(client, params, clientIp, null);
    }

    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp, String dpopJkt) {
        String code = params.required("code");                 // code (REQUIRED)
        String redirectUri = params.required("redirect_uri");  // REQUIRED: /openid always has one
        String verifier = params.optional("code_verifier");    // REQUIRED when the request had a code_challenge
        TokenOutcome outcome = tokens.exchangeCode(client, new TokenService.Exchange(code, redirectUri, verifier, null, dpopJkt),
                clientIp);
        if (outcome instanceof TokenOutcome.Rejected rejected) {
            throw OAuthException.invalidGrant(switch (rejected.reason()) {
                case REDIRECT_MISMATCH -> "redirect_uri does not match the authorization request.";
                case PKCE_FAILED -> "code_verifier does not match the code_challenge.";
                case REUSED -> "The code was already used; tokens issued from it are revoked.";
                case DPOP_KEY_MISMATCH -> "The code is bound to another DPoP key (dpop_jkt).";
                default -> "The code is invalid or expired.";
            });
        }
        return responses.build(client, ((TokenOutcome.Issued) outcome).tokens(), tokens.now());
    }
}
