package kz.freedomid.oidc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.freedomid.keys.SigningKeys;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.Json;

/** {@code /.well-known/openid-configuration} (contract 4.1), rendered once at start. */
final class Discovery {
    static final List<String> CLAIMS = List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid",
            "amr", "given_name", "family_name", "middle_name", "birthdate", "gender", "email", "email_verified",
            "phone_number", "phone_number_verified", "country", "nationality", "identifier", "emails", "phones", "cards");

    private Discovery() {}

    static final List<String> CLIENT_AUTH = List.of("client_secret_basic", "client_secret_post", "private_key_jwt",
            "client_secret_jwt");

    static String document(String issuer) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("authorization_endpoint", issuer + "/openid");
        d.put("token_endpoint", issuer + "/api/v1/oidc/token");
        d.put("userinfo_endpoint", issuer + "/api/v1/oidc/userinfo");
        d.put("jwks_uri", issuer + "/api/v1/oidc/jwks");
        d.put("end_session_endpoint", issuer + "/api/v1/oidc/logout");
        d.put("revocation_endpoint", issuer + "/api/v1/oidc/revoke");
        d.put("introspection_endpoint", issuer + "/api/v1/oidc/introspect");
        d.put("pushed_authorization_request_endpoint", issuer + "/api/v1/oidc/par");
        d.put("registration_endpoint", issuer + "/api/v1/oidc/register"); // RFC 7591, with an initial access token
        d.put("device_authorization_endpoint", issuer + "/api/v1/oidc/device");
        // RFC 9126 §5: PAR is optional for all clients; a partner's own setting can require it for that partner.
        d.put("require_pushed_authorization_requests", false);
        d.put("scopes_supported", Arrays.stream(Grant.values()).map(Grant::wireName).toList());
        d.put("response_types_supported", List.of("code"));
        d.put("response_modes_supported", List.of("query"));
        d.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials",
                kz.freedomid.device.DeviceFlow.GRANT_TYPE));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", SigningKeys.ALGORITHMS);
        // "none" is for public clients, which prove themselves with PKCE instead of a secret.
        // client_secret_jwt works for partners that opted in (their secret is also kept sealed; see ClientSecretJwt).
        List<String> withNone = new java.util.ArrayList<>(CLIENT_AUTH);
        withNone.add("none");
        d.put("token_endpoint_auth_methods_supported", withNone);
        d.put("token_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
        d.put("revocation_endpoint_auth_methods_supported", withNone);
        d.put("revocation_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
        d.put("introspection_endpoint_auth_methods_supported", CLIENT_AUTH);
        d.put("introspection_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
        d.put("code_challenge_methods_supported", List.of("S256"));
        d.put("claims_supported", CLAIMS);
        d.put("prompt_values_supported", List.of("none", "login", "consent"));
        d.put("ui_locales_supported", List.of("ru", "kk", "en"));
        d.put("claims_parameter_supported", false);
        d.put("request_parameter_supported", false);
        d.put("request_uri_parameter_supported", false);
        // Sent through the job queue when a session ends (callback.SessionEnd); the logout token carries sid.
        d.put("backchannel_logout_supported", true);
        d.put("backchannel_logout_session_supported", true);
        d.put("authorization_response_iss_parameter_supported", true);
        d.put("dpop_signing_alg_values_supported", kz.freedomid.dpop.DPoP.ALGORITHMS); // RFC 9449 §5.1
        return Json.write(d);
    }
}
