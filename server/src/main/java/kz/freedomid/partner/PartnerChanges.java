package kz.freedomid.partner;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes to a partner's settings (admin API PATCH, {@code partner update}): a null component leaves that setting as
 * it is. Settings that may be absent come as a {@link Change}, whose null value removes the setting.
 */
public record PartnerChanges(String name, List<String> redirectUris, Set<Grant> grants, Change<String> revokeUri,
                             List<String> postLogoutRedirectUris, Change<String> backchannelLogoutUri,
                             Set<String> permissions, String idTokenAlg, Change<Duration> accessTtl,
                             Change<Duration> refreshTtl, Change<String> profileJwk, Boolean requirePushedRequests,
                             Change<String> jwks, Boolean deviceGrant) {

    /** A new value for an optional setting; {@code null} removes it. */
    public record Change<T>(T value) {}

    public static PartnerChanges none() {
        return new PartnerChanges(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public PartnerChanges withPermissions(Set<String> newPermissions) {
        return new PartnerChanges(name, redirectUris, grants, revokeUri, postLogoutRedirectUris, backchannelLogoutUri,
                newPermissions, idTokenAlg, accessTtl, refreshTtl, profileJwk, requirePushedRequests, jwks, deviceGrant);
    }

    /** {@code jwkJson} null removes the partner's profile encryption key. */
    public PartnerChanges withProfileJwk(String jwkJson) {
        return new PartnerChanges(name, redirectUris, grants, revokeUri, postLogoutRedirectUris, backchannelLogoutUri,
                permissions, idTokenAlg, accessTtl, refreshTtl, new Change<>(jwkJson), requirePushedRequests, jwks, deviceGrant);
    }

    /** The partner with these changes applied; {@code profileJwk} must already be in its public form. */
    Partner applyTo(Partner p) {
        ClientSettings s = p.settings();
        ClientSettings settings = new ClientSettings(s.publicClient(),
                postLogoutRedirectUris != null ? List.copyOf(new LinkedHashSet<>(postLogoutRedirectUris)) : s.postLogoutRedirectUris(),
                backchannelLogoutUri != null ? backchannelLogoutUri.value() : s.backchannelLogoutUri(),
                permissions != null ? permissions : s.permissions(),
                idTokenAlg != null ? idTokenAlg : s.idTokenAlg(),
                profileJwk != null ? profileJwk.value() : s.profileJwk(),
                requirePushedRequests != null ? requirePushedRequests : s.requirePushedRequests(),
                jwks != null ? jwks.value() : s.jwks(), s.jwksUri(),
                deviceGrant != null ? deviceGrant : s.deviceGrant());
        return new Partner(p.clientId(), name != null ? name.strip() : p.name(), p.secretHash(),
                redirectUris != null ? List.copyOf(new LinkedHashSet<>(redirectUris)) : p.redirectUris(),
                grants != null ? Set.copyOf(grants) : p.grants(),
                revokeUri != null ? revokeUri.value() : p.revokeUri(),
                accessTtl != null ? accessTtl.value() : p.accessTtl(),
                refreshTtl != null ? refreshTtl.value() : p.refreshTtl(),
                p.active(), p.createdAt(), settings);
    }
}
