package kz.freedomid.partner;

import java.util.List;
import java.util.Set;

/**
 * How a partner uses the OpenID Connect face: a public client (no secret, PKCE required), where RP-initiated logout may
 * return, where back-channel logout tokens go, the permissions of its service tokens, and its id_token algorithm.
 */
public record ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                             Set<String> permissions, String idTokenAlg) {
    public static final Set<String> KNOWN_PERMISSIONS = Set.of("users:write");
    public static final Set<String> ID_TOKEN_ALGS = Set.of("RS256", "ES256");

    public static ClientSettings defaults() {
        return new ClientSettings(false, List.of(), null, Set.of(), "RS256");
    }

    public ClientSettings {
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        permissions = Set.copyOf(permissions);
    }
}
