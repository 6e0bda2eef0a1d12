package kz.freedomid.oidc;

import java.util.Map;
import kz.freedomid.partner.Partner;

/** One grant type of the token endpoint; a new grant is one class and one map entry (see {@link TokenEndpoint}). */
interface TokenGrant {
    /** Applies the grant for an authenticated client calling from {@code clientIp}; returns the token response body. */
    Map<String, Object> grant(Partner client, OAuthParams params, String clientIp);
}
