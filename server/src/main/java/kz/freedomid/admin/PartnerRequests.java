package kz.freedomid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerChanges;
import kz.freedomid.partner.PartnerChanges.Change;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.FieldErrors;

/**
 * The JSON bodies of {@code POST /partners} and {@code PATCH /partners/{client_id}}: shapes and types are checked here
 * (422 with the field map); the rules on the values (URIs, lifetimes, permissions) are the partner service's.
 */
final class PartnerRequests {
    private static final Set<String> SETTINGS = Set.of("name", "redirect_uris", "grants", "revoke_uri",
            "post_logout_redirect_uris", "backchannel_logout_uri", "permissions", "id_token_alg", "access_ttl_seconds",
            "refresh_ttl_seconds", "profile_jwk", "require_pushed_authorization_requests", "jwks", "device_grant", "token_endpoint_auth_method");
    private static final Set<String> CREATE_FIELDS;

    static {
        Set<String> fields = new LinkedHashSet<>(SETTINGS);
        fields.add("public"); // fixed at registration: a public client has no secret to rotate into
        fields.add("jwks_uri"); // set at registration (RFC 7591 §2); not yet changeable by PATCH
        CREATE_FIELDS = Set.copyOf(fields);
    }

    private PartnerRequests() {}

    static PartnerService.NewPartner create(ObjectNode body) {
        FieldErrors errors = new FieldErrors();
        AdminJson.rejectUnknown(body, CREATE_FIELDS, errors);
        String name = AdminJson.string(body, "name", errors);
        if (name == null && !body.has("name")) errors.add("name", "The name field is required.");
        List<String> redirectUris = AdminJson.strings(body, "redirect_uris", errors);
        if (!body.has("redirect_uris")) errors.add("redirect_uris", "The redirect_uris field is required.");
        Set<Grant> grants = grants(body, errors);
        if (!body.has("grants")) errors.add("grants", "The grants field is required.");
        Boolean publicClient = AdminJson.bool(body, "public", errors);
        List<String> logoutUris = AdminJson.strings(body, "post_logout_redirect_uris", errors);
        List<String> permissions = AdminJson.strings(body, "permissions", errors);
        String alg = AdminJson.string(body, "id_token_alg", errors);
        Long access = AdminJson.seconds(body, "access_ttl_seconds", errors);
        Long refresh = AdminJson.seconds(body, "refresh_ttl_seconds", errors);
        String jwk = jwk(body, errors);
        ClientSettings settings = new ClientSettings(Boolean.TRUE.equals(publicClient),
                logoutUris == null ? List.of() : logoutUris, AdminJson.string(body, "backchannel_logout_uri", errors),
                permissions == null ? Set.of() : Set.copyOf(permissions), alg == null ? "RS256" : alg, jwk,
                Boolean.TRUE.equals(AdminJson.bool(body, "require_pushed_authorization_requests", errors)), jwks(body, errors),
                Boolean.TRUE.equals(AdminJson.bool(body, "device_grant", errors)))
                .withJwksUri(AdminJson.string(body, "jwks_uri", errors));
        String revokeUri = AdminJson.string(body, "revoke_uri", errors);
        errors.throwIfAny();
        return new PartnerService.NewPartner(name, redirectUris, grants, revokeUri, settings,
                access == null ? null : Duration.ofSeconds(access), refresh == null ? null : Duration.ofSeconds(refresh));
    }

    /** Absent fields stay as they are; {@code null} clears the optional ones and is an error for the others. */
    static PartnerChanges changes(ObjectNode body) {
        FieldErrors errors = new FieldErrors();
        AdminJson.rejectUnknown(body, SETTINGS, errors);
        for (String field : List.of("name", "redirect_uris", "grants", "post_logout_redirect_uris", "permissions",
                "id_token_alg", "require_pushed_authorization_requests", "device_grant")) {
            AdminJson.requireNotNull(body, field, errors);
        }
        String name = AdminJson.string(body, "name", errors);
        List<String> redirectUris = AdminJson.strings(body, "redirect_uris", errors);
        Set<Grant> grants = grants(body, errors);
        List<String> logoutUris = AdminJson.strings(body, "post_logout_redirect_uris", errors);
        List<String> permissions = AdminJson.strings(body, "permissions", errors);
        String alg = AdminJson.string(body, "id_token_alg", errors);
        Change<String> revokeUri = body.has("revoke_uri") ? new Change<>(AdminJson.string(body, "revoke_uri", errors)) : null;
        Change<String> backchannel = body.has("backchannel_logout_uri")
                ? new Change<>(AdminJson.string(body, "backchannel_logout_uri", errors)) : null;
        Change<Duration> access = lifetime(body, "access_ttl_seconds", errors);
        Change<Duration> refresh = lifetime(body, "refresh_ttl_seconds", errors);
        Change<String> jwk = body.has("profile_jwk") ? new Change<>(jwk(body, errors)) : null;
        Boolean requirePar = AdminJson.bool(body, "require_pushed_authorization_requests", errors);
        Change<String> jwks = body.has("jwks") ? new Change<>(jwks(body, errors)) : null;
        Boolean deviceGrant = AdminJson.bool(body, "device_grant", errors);
        errors.throwIfAny();
        return new PartnerChanges(name, redirectUris, grants, revokeUri, logoutUris, backchannel,
                permissions == null ? null : Set.copyOf(permissions), alg, access, refresh, jwk, requirePar, jwks, deviceGrant);
    }

    /** client_secret_jwt or not; null when the field is absent (422 on another value). */
    static Boolean clientSecretJwt(ObjectNode body) {
        if (!body.has("token_endpoint_auth_method")) return null;
        JsonNode node = body.get("token_endpoint_auth_method");
        String method = node.isTextual() ? node.asText() : "";
        return switch (method) {
            case "client_secret_jwt" -> true;
            case "client_secret_basic", "client_secret_post", "private_key_jwt" -> false;
            default -> {
                FieldErrors errors = new FieldErrors();
                errors.add("token_endpoint_auth_method", "The token_endpoint_auth_method must be client_secret_basic, "
                        + "client_secret_post, private_key_jwt or client_secret_jwt.");
                errors.throwIfAny();
                yield null;
            }
        };
    }

    /** Known grant names ({@code grants.3} names an unknown one); duplicates are ignored. Null when absent. */
    private static Set<Grant> grants(ObjectNode body, FieldErrors errors) {
        List<String> names = AdminJson.strings(body, "grants", errors);
        if (names == null) return null;
        Set<Grant> grants = EnumSet.noneOf(Grant.class);
        for (int i = 0; i < names.size(); i++) {
            String field = "grants." + i;
            Grant.parse(names.get(i)).ifPresentOrElse(grants::add,
                    () -> errors.add(field, "The selected " + field + " is invalid."));
        }
        return grants;
    }

    private static Change<Duration> lifetime(ObjectNode body, String field, FieldErrors errors) {
        if (!body.has(field)) return null;
        Long seconds = AdminJson.seconds(body, field, errors);
        return new Change<>(seconds == null ? null : Duration.ofSeconds(seconds));
    }

    /** The client's public JWK set (private_key_jwt) in its public text form, or null. */
    private static String jwks(ObjectNode body, FieldErrors errors) {
        JsonNode node = body.get("jwks");
        if (node == null || node.isNull()) return null;
        try {
            if (!node.isObject()) throw new IllegalArgumentException("not an object");
            return kz.freedomid.partner.PartnerService.publicJwks(node.toString());
        } catch (IllegalArgumentException e) {
            errors.add("jwks", "The jwks must be a JWK set of public RSA or EC keys.");
            return null;
        }
    }

    /** The partner's public JWK as a JSON object; its text form, or null. */
    private static String jwk(ObjectNode body, FieldErrors errors) {
        JsonNode node = body.get("profile_jwk");
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) {
            errors.add("profile_jwk", "The profile_jwk must be a JWK object.");
            return null;
        }
        return node.toString();
    }
}
