package kz.freedomid.partner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules a partner's settings obey, at registration and at every change, collected per field. */
final class PartnerRules {
    static final Duration MIN_ACCESS_TTL = Duration.ofMinutes(1);
    static final Duration MAX_ACCESS_TTL = Duration.ofDays(30);
    static final Duration MIN_REFRESH_TTL = Duration.ofMinutes(5);
    static final Duration MAX_REFRESH_TTL = Duration.ofDays(365);
    /** The newline-separated URI lists are stored in VARCHAR(8000) columns. */
    private static final int MAX_URI_LIST_CHARS = 8000;

    private final Map<String, List<String>> errors = new LinkedHashMap<>();

    private PartnerRules() {}

    /** Throws {@link InvalidPartnerException} naming every broken rule. */
    static void check(Partner p) {
        PartnerRules rules = new PartnerRules();
        rules.checkAll(p);
        if (!rules.errors.isEmpty()) throw new InvalidPartnerException(rules.errors);
    }

    /** The public JSON form of a profile key, or a field error when the key is not acceptable. */
    static String profileJwk(String jwkJson) {
        try {
            return PartnerService.publicProfileJwk(jwkJson);
        } catch (IllegalArgumentException e) {
            throw new InvalidPartnerException(Map.of("profile_jwk", List.of(e.getMessage())));
        }
    }

    private void checkAll(Partner p) {
        if (p.name() == null || p.name().isBlank() || p.name().length() > 200) {
            add("name", "The name must be 1 to 200 characters.");
        }
        if (p.redirectUris().isEmpty()) add("redirect_uris", "At least one redirect URI is required.");
        uriList("redirect_uris", "redirect URI", p.redirectUris());
        if (p.grants().isEmpty()) add("grants", "At least one grant is required.");
        if (p.revokeUri() != null && !PartnerService.isHttpUrl(p.revokeUri())) {
            add("revoke_uri", "Invalid revoke URI: " + p.revokeUri() + " (an http or https URL is needed).");
        }
        ClientSettings settings = p.settings();
        uriList("post_logout_redirect_uris", "post-logout redirect URI", settings.postLogoutRedirectUris());
        if (settings.backchannelLogoutUri() != null && !PartnerService.isHttpUrl(settings.backchannelLogoutUri())) {
            add("backchannel_logout_uri", "Invalid back-channel logout URI: " + settings.backchannelLogoutUri()
                    + " (an http or https URL is needed).");
        }
        if (settings.jwks() != null && settings.jwksUri() != null) {
            add("jwks_uri", "Give the client's keys as jwks or as jwks_uri, not both.");
        }
        if (settings.jwksUri() != null && !PartnerService.isHttpUrl(settings.jwksUri())) {
            add("jwks_uri", "Invalid jwks_uri: " + settings.jwksUri() + " (an https URL is needed).");
        }
        for (String permission : settings.permissions()) {
            if (!ClientSettings.KNOWN_PERMISSIONS.contains(permission)) {
                add("permissions", "Unknown permission '" + permission + "'; known: " + ClientSettings.KNOWN_PERMISSIONS + ".");
            }
        }
        if (!ClientSettings.ID_TOKEN_ALGS.contains(settings.idTokenAlg())) {
            add("id_token_alg", "The id_token algorithm must be one of " + ClientSettings.ID_TOKEN_ALGS + ".");
        }
        lifetime("access_ttl_seconds", "access token", p.accessTtl(), MIN_ACCESS_TTL, MAX_ACCESS_TTL);
        lifetime("refresh_ttl_seconds", "refresh token", p.refreshTtl(), MIN_REFRESH_TTL, MAX_REFRESH_TTL);
    }

    private void uriList(String field, String what, List<String> uris) {
        for (int i = 0; i < uris.size(); i++) {
            if (!PartnerService.isValidRedirectUri(uris.get(i))) {
                add(field + "." + i, "Invalid " + what + ": " + uris.get(i) + " (an absolute URI without a fragment is needed).");
            }
        }
        if (String.join("\n", uris).length() > MAX_URI_LIST_CHARS) {
            add(field, "The " + what + "s may have " + MAX_URI_LIST_CHARS + " characters in all at most.");
        }
    }

    private void lifetime(String field, String what, Duration ttl, Duration min, Duration max) {
        if (ttl != null && (ttl.compareTo(min) < 0 || ttl.compareTo(max) > 0)) {
            add(field, "The " + what + " lifetime must be between " + min.toSeconds() + " and " + max.toSeconds() + " seconds.");
        }
    }

    private void add(String field, String message) {
        errors.computeIfAbsent(field, k -> new ArrayList<>()).add(message);
    }
}
