package kz.freedomid.registration;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;

/** The client information response (RFC 7591 §3.2.1, RFC 7592 §3): the partner's live settings and the other metadata. */
final class ClientView {
    private ClientView() {}

    static Map<String, Object> of(RegistrationService.Client client, String registrationEndpoint) {
        Partner p = client.partner();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", p.clientId().toString());
        if (client.clientSecret() != null) {
            out.put("client_secret", client.clientSecret());
            out.put("client_secret_expires_at", 0); // never expires
        }
        out.put("client_id_issued_at", p.createdAt().getEpochSecond());
        out.put("registration_access_token", client.registrationAccessToken());
        out.put("registration_client_uri", registrationEndpoint + "/" + p.clientId());
        out.put("client_name", p.name());
        out.put("redirect_uris", p.redirectUris());
        out.put("scope", Grant.join(p.grants()));
        if (!p.settings().postLogoutRedirectUris().isEmpty()) {
            out.put("post_logout_redirect_uris", p.settings().postLogoutRedirectUris());
        }
        if (p.settings().backchannelLogoutUri() != null) out.put("backchannel_logout_uri", p.settings().backchannelLogoutUri());
        if (p.settings().jwks() != null) out.put("jwks", Json.parse(p.settings().jwks().getBytes(StandardCharsets.UTF_8)));
        if (p.settings().jwksUri() != null) out.put("jwks_uri", p.settings().jwksUri());
        out.put("id_token_signed_response_alg", p.settings().idTokenAlg());
        client.extras().forEach(out::putIfAbsent);
        return out;
    }
}
