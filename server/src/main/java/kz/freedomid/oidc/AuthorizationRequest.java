package kz.freedomid.oidc;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import kz.freedomid.login.LoginTrack;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.platform.web.Messages;
import kz.freedomid.user.UserService;

/**
 * An authorization request (contract 4.2) checked once the client and its redirect URI are known good: the same rules
 * for {@code /openid} and for a pushed request (RFC 9126 §2.1: validated as an authorization request would be).
 */
record AuthorizationRequest(Set<Grant> grants, LoginTrack.OidcRequest oidc, Set<String> prompt, String lang) {
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    static AuthorizationRequest validate(OAuthParams params, Partner client, String redirectUri, String state) {
        if (params.optional("request") != null) throw error("request_not_supported", "Request objects are not supported.");
        if (params.optional("request_uri") != null) throw error("request_uri_not_supported", "request_uri is not supported.");
        String responseType = params.required("response_type");
        if (!"code".equals(responseType)) throw error("unsupported_response_type", "Only response_type=code is supported.");
        String responseMode = params.optional("response_mode");
        if (responseMode != null && !"query".equals(responseMode)) throw OAuthException.invalidRequest("Only response_mode=query is supported.");
        Set<Grant> grants = scopes(params.required("scope"), client);
        if (state != null && state.length() > 512) throw OAuthException.invalidRequest("state is longer than 512 characters.");
        String nonce = params.optional("nonce");
        if (nonce != null && nonce.length() > 512) throw OAuthException.invalidRequest("nonce is longer than 512 characters.");
        String challenge = pkce(params, client);
        Set<String> prompt = prompt(params.optional("prompt"));
        Integer maxAge = maxAge(params.optional("max_age"));
        String loginHint = Optional.ofNullable(params.optional("login_hint")).flatMap(UserService::normalizePhone).orElse(null);
        // RFC 9449 §10: the code will be redeemed only with a DPoP proof of this key (a JWK SHA-256 thumbprint).
        String dpopJkt = params.optional("dpop_jkt");
        if (dpopJkt != null && !dpopJkt.matches("[A-Za-z0-9_-]{43}")) throw OAuthException.invalidRequest("dpop_jkt is malformed.");
        LoginTrack.OidcRequest oidc = new LoginTrack.OidcRequest(nonce, challenge,
                prompt.contains("login") ? "login" : prompt.contains("consent") ? "consent" : null, maxAge, loginHint, dpopJkt);
        return new AuthorizationRequest(grants, oidc, prompt, Messages.pick(params.optional("ui_locales")));
    }

    private static Set<Grant> scopes(String scope, Partner client) {
        Set<Grant> grants = allowedScopes(scope, client);
        if (!grants.contains(Grant.OPENID)) throw OAuthException.invalidScope("The scope must include openid.");
        return grants;
    }

    /** Known scopes that the client may ask for, else invalid_scope (RFC 6749 §3.3); also the device grant's rule. */
    static Set<Grant> allowedScopes(String scope, Partner client) {
        Set<Grant> grants = EnumSet.noneOf(Grant.class);
        for (String name : scope.trim().split("\\s+")) {
            Grant grant = Grant.parse(name).orElseThrow(() -> OAuthException.invalidScope("Unknown scope '" + name + "'."));
            if (!client.grants().contains(grant)) throw OAuthException.invalidScope("Scope '" + name + "' is not allowed for this client.");
            grants.add(grant);
        }
        return grants;
    }

    /** RFC 7636: S256 only; required for public clients (contract 4.2). */
    private static String pkce(OAuthParams params, Partner client) {
        String challenge = params.optional("code_challenge");
        String method = params.optional("code_challenge_method");
        if (challenge == null) {
            if (method != null) throw OAuthException.invalidRequest("code_challenge_method without code_challenge.");
            if (client.settings().publicClient()) throw OAuthException.invalidRequest("PKCE (S256) is required for this client.");
            return null;
        }
        if (!"S256".equals(method)) throw OAuthException.invalidRequest("code_challenge_method must be S256.");
        if (!challenge.matches("[A-Za-z0-9_-]{43}")) throw OAuthException.invalidRequest("code_challenge is malformed.");
        return challenge;
    }

    private static Set<String> prompt(String raw) {
        if (raw == null) return Set.of();
        Set<String> values = Set.copyOf(Arrays.asList(raw.trim().split("\\s+")));
        if (!PROMPTS.containsAll(values)) throw OAuthException.invalidRequest("Unsupported prompt value.");
        if (values.contains("none") && values.size() > 1) throw OAuthException.invalidRequest("prompt=none must stand alone.");
        return values;
    }

    private static Integer maxAge(String raw) {
        if (raw == null) return null;
        try {
            int value = Integer.parseInt(raw);
            if (value < 0) throw OAuthException.invalidRequest("max_age must not be negative.");
            return value;
        } catch (NumberFormatException e) {
            throw OAuthException.invalidRequest("max_age must be a number of seconds.");
        }
    }

    private static OAuthException error(String code, String description) {
        return OAuthException.of(400, code, description);
    }
}
