package kz.freedomid.registration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.Grant;

/**
 * Client metadata (RFC 7591 §2, OpenID Connect Dynamic Client Registration §2) after validation by
 * {@link MetadataParser}: every list is non-null, optional values are null when absent, defaults are filled in.
 * {@code clientNames} holds the localized names ({@code client_name#ru} → key {@code ru}).
 */
public record ClientMetadata(List<String> redirectUris, List<String> grantTypes, List<String> responseTypes,
                             String tokenEndpointAuthMethod, String applicationType, String clientName,
                             Map<String, String> clientNames, Set<Grant> scope, String jwks, String jwksUri,
                             String logoUri, String clientUri, String policyUri, String tosUri,
                             String backchannelLogoutUri, List<String> postLogoutRedirectUris, List<String> contacts) {

    public boolean publicClient() {
        return "none".equals(tokenEndpointAuthMethod);
    }

    /** Whether the client is given a secret it uses at the token endpoint. */
    public boolean usesSecret() {
        return tokenEndpointAuthMethod.startsWith("client_secret_");
    }

    /** What the partners table has no column for; kept as JSON beside the registration and echoed back. */
    Map<String, Object> extras() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("grant_types", grantTypes);
        out.put("response_types", responseTypes);
        out.put("token_endpoint_auth_method", tokenEndpointAuthMethod);
        out.put("application_type", applicationType);
        clientNames.forEach((lang, name) -> out.put("client_name#" + lang, name));
        putIfSet(out, "logo_uri", logoUri);
        putIfSet(out, "client_uri", clientUri);
        putIfSet(out, "policy_uri", policyUri);
        putIfSet(out, "tos_uri", tosUri);
        if (!contacts.isEmpty()) out.put("contacts", contacts);
        return out;
    }

    private static void putIfSet(Map<String, Object> out, String key, String value) {
        if (value != null) out.put(key, value);
    }
}
