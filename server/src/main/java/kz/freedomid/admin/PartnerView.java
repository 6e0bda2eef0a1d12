package kz.freedomid.admin;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;

/** A partner as the admin API and {@code partner show --json} print it: every setting, never the secret's hash. */
final class PartnerView {
    private PartnerView() {}

    static Map<String, Object> of(Partner p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", p.clientId().toString());
        out.put("name", p.name());
        out.put("status", p.active() ? "active" : "disabled");
        out.put("public", p.settings().publicClient());
        out.put("redirect_uris", p.redirectUris());
        out.put("grants", p.grants().stream().sorted().map(Grant::wireName).toList());
        out.put("revoke_uri", p.revokeUri());
        out.put("post_logout_redirect_uris", p.settings().postLogoutRedirectUris());
        out.put("backchannel_logout_uri", p.settings().backchannelLogoutUri());
        out.put("permissions", new TreeSet<>(p.settings().permissions()).stream().toList());
        out.put("id_token_alg", p.settings().idTokenAlg());
        out.put("access_ttl_seconds", p.accessTtl() == null ? null : p.accessTtl().toSeconds());
        out.put("refresh_ttl_seconds", p.refreshTtl() == null ? null : p.refreshTtl().toSeconds());
        out.put("profile_jwk", p.settings().profileJwk() == null ? null
                : Json.parse(p.settings().profileJwk().getBytes(StandardCharsets.UTF_8)));
        out.put("require_pushed_authorization_requests", p.settings().requirePushedRequests());
        out.put("jwks", p.settings().jwks() == null ? null
                : Json.parse(p.settings().jwks().getBytes(StandardCharsets.UTF_8)));
        out.put("jwks_uri", p.settings().jwksUri());
        out.put("device_grant", p.settings().deviceGrant());
        out.put("created_at", Json.timestamp(p.createdAt()));
        return out;
    }
}
