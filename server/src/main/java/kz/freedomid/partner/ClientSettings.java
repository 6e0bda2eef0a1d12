package kz.freedomid.partner;

import java.util.List;
import java.util.Set;

/**
 * How a partner uses the OpenID Connect face: a public client (no secret, PKCE required), where RP-initiated logout may
 * return, where back-channel logout tokens go, the permissions of its service tokens, its id_token algorithm, and the
 * public JWK that profiles (contract 3.7) are encrypted to (null when none), and whether its authorization requests must be pushed first (RFC 9126 §6), and the public JWK set its private_key_jwt assertions are signed with (RFC 7523; null when none), or the URL it
 * publishes that set at ({@code jwksUri}, RFC 7591 §2; null when none; never both), and whether it may use the device
 * authorization grant (RFC 8628).
 */
public record ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                             Set<String> permissions, String idTokenAlg, String profileJwk,
                             boolean requirePushedRequests, String jwks, String jwksUri, boolean deviceGrant) {
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

    /** Keys registered by value only (no jwks_uri), without the device grant. */
    public ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                          Set<String> permissions, String idTokenAlg, String profileJwk,
                          boolean requirePushedRequests, String jwks) {
        this(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg, profileJwk,
                requirePushedRequests, jwks, null, false);
    }

    /** Without the device grant. */
    public ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                          Set<String> permissions, String idTokenAlg, String profileJwk,
                          boolean requirePushedRequests, String jwks, String jwksUri) {
        this(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg, profileJwk,
                requirePushedRequests, jwks, jwksUri, false);
    }

    /** Keys registered by value only (no jwks_uri). */
    public ClientSettings(boolean publicClient, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                          Set<String> permissions, String idTokenAlg, String profileJwk, boolean requirePushedRequests,
                          String jwks, boolean deviceGrant) {
        this(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg, profileJwk,
                requirePushedRequests, jwks, null, deviceGrant);
    }

    public ClientSettings withRequirePushedRequests(boolean require) {
        return new ClientSettings(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg,
                profileJwk, require, jwks, jwksUri, deviceGrant);
    }

    public ClientSettings withJwks(String publicJwks) {
        return new ClientSettings(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg,
                profileJwk, requirePushedRequests, publicJwks, jwksUri, deviceGrant);
    }

    public ClientSettings withJwksUri(String uri) {
        return new ClientSettings(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg,
                profileJwk, requirePushedRequests, jwks, uri, deviceGrant);
    }

    public ClientSettings withDeviceGrant(boolean allowed) {
        return new ClientSettings(publicClient, postLogoutRedirectUris, backchannelLogoutUri, permissions, idTokenAlg,
                profileJwk, requirePushedRequests, jwks, jwksUri, allowed);
    }

    public ClientSettings {
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        permissions = Set.copyOf(permissions);
    }
}
