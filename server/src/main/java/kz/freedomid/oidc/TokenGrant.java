package kz.freedomid.oidc;

import java.util.Map;
import kz.freedomid.partner.Partner;

/** One grant type of the token endpoint; a new grant is one class and one map entry (see {@link TokenEndpoint}). */
interface TokenGrant {
    /** Applies the grant for an authenticated client calling from {@code clientIp}; returns the token response body. */
    Map<String, Object> grant(Partner client, OAuthParams params, String clientIp);

    /**
     * The same with the key thumbprint of the request's verified DPoP proof (RFC 9449 §5), null without one. Grants that
     * bind their tokens to the key override this; the others issue bearer tokens, and say so in token_type.
     */
    default Map<String, Object> grant(Partner client, OAuthParams params, String clientIp, String dpopJkt) {
        return grant(client, params, clientIp);
    }
}
