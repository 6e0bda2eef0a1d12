package kz.freedomid.partner;

import java.util.List;
import java.util.Set;

/**
 * How a partner uses the OpenID Connect face: a public client (no secret, PKCE required), where RP-initiated logout may
 * return, where back-channel logout tokens go, the permissions of its service tokens, its id_token algorithm, and the
 * public JWK that profiles (contract 3.7) are encrypted to (null when none), and whether its authorization requests must be pushed first (RFC 9126 §6), and the public JWK set its private_key_jwt assertions are signed with (RFC 7523; null when none), and whether it may use the device authorization grant (RFC 8628).
 */
public record ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                             Set<String> permissions, String idTokenAlg, String profileJwk,
                             boolean requirePushedRequests, String jwks, boolean deviceGrant) {
    public static final Set<String> KNOWN_PERMISSIONS = Set.of("users:write");
    public static final Set<String> ID_TOKEN_ALGS = Set.of("RS256", "ES256");

    public static ClientSettings defaults() {
        return new ClientSettings(false, List.of(), null, Set.of(), "RS256");
    }

    /** Without a profile encryption key (the partner cannot request profiles until one is set). */
    public ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                          Set<String> permissions, String idTokenAlg) {
        this(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg, null);
    }

    /** Authorization requests need not be pushed. */
    public ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                          Set<String> permissions, String idTokenAlg, String profileJwk) {
        this(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg, profileJwk, false, null);
    }

    /** Without the device grant. */
    public ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                          Set<String> permissions, String idTokenAlg, String profileJwk, boolean requirePushedRequests,
                          String jwks) {
        this(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg, profileJwk,
                requirePushedRequests, jwks, false);
    }

    public ClientSettings withRequirePushedRequests(boolean require) {
        return new ClientSettings(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg,
                profileJwk, require, jwks, deviceGrant);
    }

    public ClientSettings withJwks(String publicJwks) {
        return new ClientSettings(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg,
                profileJwk, requirePushedRequests, publicJwks, deviceGrant);
    }

    public ClientSettings withDeviceGrant(boolean allowed) {
        return new ClientSettings(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg,
                profileJwk, requirePushedRequests, jwks, allowed);
    }

    public ClientSettings {
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        permissions = Set.copyOf(permissions);
    }
}
