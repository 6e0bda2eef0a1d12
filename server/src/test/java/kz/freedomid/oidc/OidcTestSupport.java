package kz.freedomid.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;

/** Shared by the OIDC tests: clients, /openid URLs, sign-in to a code, token requests, and checks of OAuth errors. */
public final class OidcTestSupport {
    /** A registered redirect URI with a query of its own, which every redirect must keep. */
    public static final String CALLBACK = "https://rp.example/cb?tenant=7";
    public static final String LOGOUT_RETURN = "https://rp.example/signed-out";
    public static final Set<Grant> GRANTS = Set.of(Grant.OPENID, Grant.READ_FIRSTNAME, Grant.READ_LASTNAME, Grant.READ_PHONE);
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Client(String clientId, String secret, String redirectUri) {
        public String basic() {
            return Http.basic(clientId, secret);
        }
    }

    /** What the browser brought back from /openid: the code, and the request that led to it. */
    public record Code(String code, String verifier, Map<String, String> request, Map<String, String> response) {}

    private OidcTestSupport() {}

    public static ClientSettings settings(boolean publicClient, Set<String> permissions, String alg) {
        return new ClientSettings(publicClient, List.of(LOGOUT_RETURN), null, permissions, alg);
    }

    public static Client register(TestServer server, Set<Grant> grants, ClientSettings settings) {
        var registered = server.app.partners.register(new PartnerService.NewPartner("OIDC RP", List.of(CALLBACK), grants,
                null, settings));
        return new Client(registered.partner().clientId().toString(), registered.clientSecret(), CALLBACK);
    }

    public static Client confidential(TestServer server) {
        return register(server, GRANTS, settings(false, Set.of(), "RS256"));
    }

    public static Client publicClient(TestServer server) {
        return register(server, GRANTS, settings(true, Set.of(), "RS256"));
    }

    public static String verifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A good authorization request: code flow, openid read.firstname read.phone, state, nonce; no PKCE. */
    public static Map<String, String> request(Client client) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.clientId());
        params.put("redirect_uri", client.redirectUri());
        params.put("scope", "openid read.firstname read.phone");
        params.put("state", "st-" + verifier().substring(0, 12));
        params.put("nonce", "n-" + verifier().substring(0, 12));
        return params;
    }

    /** The same request with PKCE S256 for {@code verifier}. */
    public static Map<String, String> request(Client client, String verifier) {
        Map<String, String> params = request(client);
        params.put("code_challenge", challenge(verifier));
        params.put("code_challenge_method", "S256");
        return params;
    }

    /** {@code /openid?…}; a null value leaves the parameter out. */
    public static String url(Map<String, String> params) {
        return "/openid?" + form(params);
    }

    public static String form(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> {
            if (v == null) return;
            if (!out.isEmpty()) out.append('&');
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    public static Map<String, String> with(Map<String, String> params, String... keyValues) {
        Map<String, String> out = new LinkedHashMap<>(params);
        for (int i = 0; i < keyValues.length; i += 2) out.put(keyValues[i], keyValues[i + 1]);
        return out;
    }

    /** GET /openid, sign in (and consent) through the pages; the query of the redirect back to the client. */
    public static Map<String, String> authorize(TestServer server, Browser browser, Map<String, String> request, String phone) {
        Browser.Page toLogin = browser.get(url(request));
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        assertThat(toLogin.location()).startsWith("/login?track_id=");
        String back = Flows.approvedRedirect(server, browser, toLogin.location(), phone);
        assertThat(back).startsWith(request.get("redirect_uri") + "&");
        return Flows.query(back);
    }

    /** A fresh user signs in with PKCE; the code and what it takes to exchange it. */
    public static Code code(TestServer server, Browser browser, Client client, String phone) {
        String verifier = verifier();
        Map<String, String> request = request(client, verifier);
        Map<String, String> response = authorize(server, browser, request, phone);
        assertThat(response).containsKey("code");
        return new Code(response.get("code"), verifier, request, response);
    }

    public static Code code(TestServer server, Client client) {
        return code(server, server.browser(), client, Flows.newPhone());
    }

    /** The token request parameters for a code, without client authentication. */
    public static Map<String, String> codeGrant(Code code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code.code());
        params.put("redirect_uri", code.request().get("redirect_uri"));
        params.put("code_verifier", code.verifier());
        return params;
    }

    public static Http.Response postForm(TestServer server, String path, String authorization, Map<String, String> params) {
        return server.http().send("POST", path, authorization, "application/x-www-form-urlencoded",
                form(params).getBytes(StandardCharsets.UTF_8));
    }

    public static Http.Response postForm(TestServer server, String path, String authorization, String rawBody) {
        return server.http().send("POST", path, authorization, "application/x-www-form-urlencoded",
                rawBody.getBytes(StandardCharsets.UTF_8));
    }

    public static Http.Response tokenForm(TestServer server, String authorization, Map<String, String> params) {
        return postForm(server, "/api/v1/oidc/token", authorization, params);
    }

    public static Http.Response tokenJson(TestServer server, String authorization, Map<String, String> params) {
        return server.http().json("POST", "/api/v1/oidc/token", authorization, params);
    }

    /** Exchanges the code with client_secret_basic and a form body; asserts success. */
    public static JsonNode exchange(TestServer server, Client client, Code code) {
        Http.Response response = tokenForm(server, client.basic(), codeGrant(code));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public static JsonNode refresh(TestServer server, Client client, String refreshToken) {
        Http.Response response = tokenForm(server, client.basic(),
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public static Http.Response userinfo(TestServer server, String accessToken) {
        return server.http().get("/api/v1/oidc/userinfo", Http.bearer(accessToken));
    }

    /** {"error":…,"error_description":…} with this status, not cached (RFC 6749 §5.2). */
    public static JsonNode assertOAuthError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = response.json();
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).as(response.body()).isNotBlank();
        return body;
    }

    /** A 303 back to the client's redirect URI with error, error_description, state (when given) and iss. */
    public static Map<String, String> assertErrorRedirect(TestServer server, Browser.Page page, Client client, String error,
                                                   String state) {
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location()).startsWith(client.redirectUri() + "&");
        Map<String, String> query = Flows.query(page.location());
        assertThat(query.get("tenant")).isEqualTo("7");
        assertThat(query.get("error")).as(page.location()).isEqualTo(error);
        assertThat(query.get("error_description")).isNotBlank();
        assertThat(query.get("iss")).isEqualTo(server.app.config.issuer());
        assertThat(query.get("state")).isEqualTo(state);
        assertThat(query).doesNotContainKey("code");
        return query;
    }

    public static long count(TestServer server, String table) {
        return server.count("SELECT COUNT(*) FROM " + table);
    }

    public static JWKSet jwks(TestServer server) {
        Http.Response response = server.http().get("/api/v1/oidc/jwks", null);
        assertThat(response.status()).isEqualTo(200);
        try {
            return JWKSet.parse(response.body());
        } catch (java.text.ParseException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    /** Verifies the id_token's signature with the key of its kid in the published JWKS; returns its claims. */
    public static JWTClaimsSet verifyIdToken(TestServer server, String idToken) {
        try {
            SignedJWT jwt = SignedJWT.parse(idToken);
            JWK key = jwks(server).getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key).as("kid %s published", jwt.getHeader().getKeyID()).isNotNull();
            assertThat(key.getAlgorithm()).isEqualTo(jwt.getHeader().getAlgorithm());
            boolean valid = key instanceof ECKey ec ? jwt.verify(new ECDSAVerifier(ec)) : jwt.verify(new RSASSAVerifier(key.toRSAKey()));
            assertThat(valid).as("signature").isTrue();
            return jwt.getJWTClaimsSet();
        } catch (Exception e) {
            throw new AssertionError("id_token does not verify: " + e, e);
        }
    }

    public static String kid(String idToken) {
        try {
            return SignedJWT.parse(idToken).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    public static String json(Object value) {
        return Json.write(value);
    }
}
