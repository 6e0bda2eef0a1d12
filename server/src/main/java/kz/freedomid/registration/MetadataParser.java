package kz.freedomid.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kz.freedomid.oidc.RemoteJwks;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;

/**
 * Turns a registration request body into {@link ClientMetadata} under the policy, or refuses it with the first broken
 * rule (RFC 7591 §3.2.2). Unknown members are ignored (RFC 7591 §2: "MUST ignore any client metadata it does not
 * understand"); known ones of the wrong type are refused.
 */
final class MetadataParser {
    static final Set<String> AUTH_METHODS = Set.of("client_secret_basic", "client_secret_post", "client_secret_jwt",
            "private_key_jwt", "none");
    /** Schemes that run code or read local data in a browser: never a redirect target (OAuth security BCP §4.1). */
    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "about", "blob");
    private static final int MAX_URIS = 20;
    private static final int MAX_CONTACTS = 10;

    private final RegistrationPolicy policy;

    MetadataParser(RegistrationPolicy policy) {
        this.policy = policy;
    }

    ClientMetadata parse(ObjectNode body) {
        if (body.has("software_statement")) {
            throw new RegistrationException(RegistrationException.INVALID_SOFTWARE_STATEMENT,
                    "Software statements are not accepted by this server.");
        }
        String applicationType = string(body, "application_type", "web");
        if (!applicationType.equals("web") && !applicationType.equals("native")) {
            throw RegistrationException.metadata("application_type must be web or native.");
        }
        List<String> grantTypes = strings(body, "grant_types", List.of("authorization_code"));
        for (String grantType : grantTypes) {
            if (!policy.grantTypes().contains(grantType)) {
                throw RegistrationException.metadata("grant_type '" + grantType + "' is not allowed for registered clients;"
                        + " allowed: " + policy.grantTypes().stream().sorted().toList() + ".");
            }
        }
        List<String> responseTypes = strings(body, "response_types",
                grantTypes.contains("authorization_code") ? List.of("code") : List.of());
        for (String responseType : responseTypes) {
            if (!responseType.equals("code")) throw RegistrationException.metadata("Only the response_type code is supported.");
        }
        // RFC 7591 §2.1: the code response type goes with the authorization_code grant, and the other way round.
        if (responseTypes.contains("code") != grantTypes.contains("authorization_code")) {
            throw RegistrationException.metadata("response_types code and grant_types authorization_code go together.");
        }
        if (grantTypes.contains("refresh_token") && !grantTypes.contains("authorization_code")) {
            throw RegistrationException.metadata("refresh_token is only issued with the authorization_code grant.");
        }
        String authMethod = string(body, "token_endpoint_auth_method", "client_secret_basic");
        if (!AUTH_METHODS.contains(authMethod)) {
            throw RegistrationException.metadata("token_endpoint_auth_method must be one of " + AUTH_METHODS.stream().sorted().toList() + ".");
        }
        if (authMethod.equals("none") && grantTypes.contains("client_credentials")) {
            throw RegistrationException.metadata("A public client (token_endpoint_auth_method none) cannot use client_credentials.");
        }
        List<String> redirectUris = strings(body, "redirect_uris", List.of());
        // Every client signs users in with the code flow, so it needs somewhere to come back to (RFC 7591 §2).
        if (redirectUris.isEmpty()) throw RegistrationException.redirect("redirect_uris is required.");
        checkRedirectUris(redirectUris, applicationType, "redirect_uris");
        List<String> logoutUris = strings(body, "post_logout_redirect_uris", List.of());
        checkRedirectUris(logoutUris, applicationType, "post_logout_redirect_uris");

        String jwks = jwks(body);
        String jwksUri = string(body, "jwks_uri", null);
        if (jwks != null && jwksUri != null) throw RegistrationException.metadata("Give jwks or jwks_uri, not both (RFC 7591 §2).");
        if (jwksUri != null && !RemoteJwks.acceptable(jwksUri, policy.dev())) {
            throw RegistrationException.metadata("jwks_uri must be an https URL.");
        }
        if (authMethod.equals("private_key_jwt") && jwks == null && jwksUri == null) {
            throw RegistrationException.metadata("private_key_jwt needs the client's keys: jwks or jwks_uri.");
        }
        String clientName = string(body, "client_name", null);
        Map<String, String> names = localizedNames(body);
        if (clientName == null && !names.isEmpty()) clientName = names.values().iterator().next();
        if (clientName != null && (clientName.isBlank() || clientName.length() > 200)) {
            throw RegistrationException.metadata("client_name must be 1 to 200 characters.");
        }
        String backchannel = string(body, "backchannel_logout_uri", null);
        if (backchannel != null && !webUrl(backchannel, true)) {
            throw RegistrationException.metadata("backchannel_logout_uri must be an https URL.");
        }
        return new ClientMetadata(redirectUris, grantTypes, responseTypes, authMethod, applicationType, clientName, names,
                scope(body), jwks, jwksUri, httpsUrl(body, "logo_uri"), httpsUrl(body, "client_uri"),
                httpsUrl(body, "policy_uri"), httpsUrl(body, "tos_uri"), backchannel, logoutUris, contacts(body));
    }

    /**
     * Exact URIs without fragments or wildcards. A web client redirects over https (http only to a loopback host in
     * development mode); a native one to a private-use scheme or http on a loopback host (RFC 8252 §7.1, §7.3), or https.
     */
    private void checkRedirectUris(List<String> uris, String applicationType, String field) {
        if (uris.size() > MAX_URIS) throw RegistrationException.redirect("At most " + MAX_URIS + " " + field + ".");
        for (String raw : uris) {
            URI uri;
            try {
                uri = new URI(raw);
            } catch (URISyntaxException e) {
                throw RegistrationException.redirect("Not a valid URI: " + raw);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || raw.length() > 2000 || FORBIDDEN_SCHEMES.contains(scheme)) {
                throw RegistrationException.redirect("Not an acceptable redirect URI: " + raw);
            }
            if (uri.getRawFragment() != null) throw RegistrationException.redirect("A redirect URI must not have a fragment: " + raw);
            if (raw.contains("*")) throw RegistrationException.redirect("Wildcards are not allowed: " + raw);
            if (uri.getRawUserInfo() != null) throw RegistrationException.redirect("A redirect URI must not hold credentials: " + raw);
            boolean web = scheme.equals("http") || scheme.equals("https");
            if (web && uri.getHost() == null) throw RegistrationException.redirect("Not an acceptable redirect URI: " + raw);
            boolean ok = applicationType.equals("web")
                    ? scheme.equals("https") || (scheme.equals("http") && policy.dev() && RemoteJwks.isLoopback(uri.getHost()))
                    : scheme.equals("https") || (scheme.equals("http") && RemoteJwks.isLoopback(uri.getHost()))
                            || (!web && scheme.contains(".")); // RFC 8252 §7.1: a reverse domain name
            if (!ok) {
                throw RegistrationException.redirect(applicationType.equals("web")
                        ? "A web client's redirect URIs must use https: " + raw
                        : "A native client's redirect URIs use a private-use scheme such as com.example.app:/cb, or http on a loopback address: " + raw);
            }
        }
    }

    private boolean webUrl(String raw, boolean loopbackInDev) {
        try {
            URI uri = new URI(raw);
            if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null || raw.length() > 2000) return false;
            return "https".equals(uri.getScheme())
                    || (loopbackInDev && policy.dev() && "http".equals(uri.getScheme()) && RemoteJwks.isLoopback(uri.getHost()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private String httpsUrl(ObjectNode body, String field) {
        String value = string(body, field, null);
        if (value != null && !webUrl(value, false)) throw RegistrationException.metadata(field + " must be an https URL.");
        return value;
    }

    /** The Freedom ID grants asked for, within the policy; all the policy allows when absent. */
    private Set<Grant> scope(ObjectNode body) {
        String scope = string(body, "scope", null);
        if (scope == null) return policy.scopes();
        Set<Grant> grants = EnumSet.noneOf(Grant.class);
        for (String name : scope.trim().split("\\s+")) {
            Grant grant = Grant.parse(name).orElseThrow(() -> RegistrationException.metadata("Unknown scope '" + name + "'."));
            if (!policy.scopes().contains(grant)) {
                throw RegistrationException.metadata("Scope '" + name + "' is not available to registered clients.");
            }
            grants.add(grant);
        }
        return grants;
    }

    private static String jwks(ObjectNode body) {
        JsonNode node = body.get("jwks");
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) throw RegistrationException.metadata("jwks must be a JWK set object.");
        try {
            return PartnerService.publicJwks(node.toString());
        } catch (IllegalArgumentException e) {
            throw RegistrationException.metadata("jwks must be a JWK set of public RSA or EC keys.");
        }
    }

    /** {@code client_name#ru} and the like (RFC 7591 §2.2): a language tag after the #. */
    private static Map<String, String> localizedNames(ObjectNode body) {
        Map<String, String> names = new LinkedHashMap<>();
        for (var field : body.properties()) {
            String key = field.getKey();
            if (!key.startsWith("client_name#")) continue;
            String lang = key.substring("client_name#".length());
            if (!lang.matches("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}") || names.size() >= 10) {
                throw RegistrationException.metadata("Bad language tag in " + key + ".");
            }
            String name = string(body, key, null);
            if (name == null || name.isBlank() || name.length() > 200) {
                throw RegistrationException.metadata(key + " must be 1 to 200 characters.");
            }
            names.put(lang, name);
        }
        return names;
    }

    private static List<String> contacts(ObjectNode body) {
        List<String> contacts = strings(body, "contacts", List.of());
        if (contacts.size() > MAX_CONTACTS) throw RegistrationException.metadata("At most " + MAX_CONTACTS + " contacts.");
        for (String contact : contacts) {
            if (contact.length() > 320 || contact.isBlank()) throw RegistrationException.metadata("A contact is 1 to 320 characters.");
        }
        return contacts;
    }

    private static String string(ObjectNode body, String field, String fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return fallback;
        if (!node.isTextual()) throw RegistrationException.metadata(field + " must be a string.");
        String value = node.asText();
        if (value.length() > 2000) throw RegistrationException.metadata(field + " is too long.");
        return value.isEmpty() ? fallback : value;
    }

    /** A JSON array of strings, duplicates dropped; {@code fallback} when absent. */
    private static List<String> strings(ObjectNode body, String field, List<String> fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return fallback;
        if (!node.isArray()) throw RegistrationException.metadata(field + " must be an array of strings.");
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw RegistrationException.metadata(field + " must be an array of non-empty strings.");
            }
            values.add(item.asText());
        }
        return new ArrayList<>(values);
    }
}
