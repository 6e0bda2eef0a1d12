package kz.freedomid.oidc;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.token.TokenService;

/** grant_type=client_credentials (RFC 6749 §4.4): a service token carrying the partner's permissions. */
final class ClientCredentialsGrant implements TokenGrant {
    private final TokenService tokens;
    private final TokenResponseBuilder responses;

    ClientCredentialsGrant(TokenService tokens, TokenResponseBuilder responses) {
        this.tokens = tokens;
        this.responses = responses;
    }

    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp) {
        return grant(client, params, clientIp, null);
    }

    @Override
    public Map<String, Object> grant(Partner client, OAuthParams params, String clientIp, String dpopJkt) {
        if (client.settings().publicClient()) {
            throw OAuthException.unauthorizedClient("A public client cannot use client_credentials.");
        }
        Set<String> allowed = client.settings().permissions();
        String scope = params.optional("scope");
        Set<String> requested = scope == null ? allowed : Set.copyOf(Arrays.asList(scope.trim().split("\\s+")));
        if (!allowed.containsAll(requested)) {
            throw OAuthException.invalidScope("The client does not have the permissions " + requested + ".");
        }
        return responses.build(client, tokens.issueServiceToken(client, requested, clientIp, dpopJkt), tokens.now());
    }
}
