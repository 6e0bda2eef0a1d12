package kz.freedomid.registration;

import static kz.freedomid.registration.RegistrationTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.partner.Partner;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 7591 registration and RFC 7592 management over HTTP: the normal flows and the refusals, which change nothing. */
class RegistrationApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void registerWhenTokenAndMetadataGoodThenClientSignsAUserInThroughOpenid() {
        String token = initialToken(server);
        long partnersBefore = state(server)[0];

        JsonNode client = registered(server, token, metadata());

        assertThat(state(server)[0]).isEqualTo(partnersBefore + 1);
        String clientId = client.path("client_id").asText();
        assertThat(UUID.fromString(clientId)).isNotNull();
        assertThat(client.path("client_secret").asText()).hasSize(64);
        assertThat(client.path("client_secret_expires_at").asLong()).isZero();
        assertThat(client.path("client_id_issued_at").asLong()).isEqualTo(server.clock.instant().getEpochSecond());
        assertThat(client.path("registration_access_token").asText()).hasSize(64);
        assertThat(client.path("registration_client_uri").asText())
                .isEqualTo(server.app.config.issuer() + "/api/v1/oidc/register/" + clientId);
        assertThat(client.path("redirect_uris").toString()).isEqualTo("[\"" + CALLBACK + "\"]");
        assertThat(client.path("client_name").asText()).isEqualTo("Dynamic RP");
        assertThat(client.path("client_name#ru").asText()).isEqualTo("Динамический RP");
        assertThat(client.path("scope").asText()).isEqualTo("read.firstname read.phone openid");
        assertThat(client.path("grant_types").toString()).isEqualTo("[\"authorization_code\",\"refresh_token\"]");
        assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("client_secret_basic");
        assertThat(client.path("contacts").toString()).contains("dev@rp.example");
        // Stored as hashes only.
        assertThat(server.count("SELECT COUNT(*) FROM client_registrations WHERE access_token_hash = ?",
                client.path("registration_access_token").asText())).isZero();
        Partner partner = server.app.partners.find(UUID.fromString(clientId)).orElseThrow();
        assertThat(partner.settings().permissions()).isEmpty();

        var rp = new OidcTestSupport.Client(clientId, client.path("client_secret").asText(), CALLBACK);
        JsonNode tokens = OidcTestSupport.exchange(server, rp, OidcTestSupport.code(server, rp));
        assertThat(OidcTestSupport.verifyIdToken(server, tokens.path("id_token").asText()).getAudience()).containsExactly(clientId);
    }

    @Test
    void readWhenRegistrationTokenGoodThenCurrentMetadataElse401WithoutRevealingTheClient() {
        JsonNode a = registered(server, initialToken(server), metadata());
        JsonNode b = registered(server, initialToken(server), metadata());
        String uriA = a.path("registration_client_uri").asText();

        Http.Response read = server.http().get(uriA, Http.bearer(a.path("registration_access_token").asText()));

        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("Cache-Control")).isEqualTo("no-store");
        assertThat(read.json().path("client_id").asText()).isEqualTo(a.path("client_id").asText());
        assertThat(read.json().path("redirect_uris")).isEqualTo(a.path("redirect_uris"));
        assertThat(read.json().path("logo_uri").asText()).isEqualTo("https://rp.example/logo.png");
        assertThat(read.json().has("client_secret")).isFalse();
        String otherToken = b.path("registration_access_token").asText();
        JsonNode wrongClient = assertError(server.http().get(uriA, Http.bearer(otherToken)), 401, "invalid_token");
        JsonNode noClient = assertError(server.http().get(PATH + "/" + UUID.randomUUID(), Http.bearer(otherToken)), 401,
                "invalid_token");
        assertThat(noClient).isEqualTo(wrongClient);
        assertError(server.http().get(PATH + "/not-a-uuid", Http.bearer(otherToken)), 401, "invalid_token");
        assertError(server.http().get(uriA, null), 401, "invalid_token");
        // The initial access token is not a registration access token.
        assertError(server.http().get(uriA, Http.bearer(initialToken(server))), 401, "invalid_token");
    }

    @Test
    void updateWhenMetadataGoodThenReplacedAndRegistrationTokenRotated() {
        JsonNode client = registered(server, initialToken(server), metadata());
        String uri = client.path("registration_client_uri").asText();
        String oldToken = client.path("registration_access_token").asText();
        var update = with(metadata(), "client_id", client.path("client_id").asText(), "client_secret",
                client.path("client_secret").asText(), "redirect_uris", List.of("https://rp.example/new-cb"),
                "client_name", "Renamed RP", "logo_uri", null, "scope", "openid read.email");

        Http.Response updated = server.http().json("PUT", uri, Http.bearer(oldToken), update);

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("client_name").asText()).isEqualTo("Renamed RP");
        assertThat(updated.json().has("logo_uri")).isFalse();
        String newToken = updated.json().path("registration_access_token").asText();
        assertThat(newToken).hasSize(64).isNotEqualTo(oldToken);
        Partner partner = server.app.partners.find(UUID.fromString(client.path("client_id").asText())).orElseThrow();
        assertThat(partner.redirectUris()).containsExactly("https://rp.example/new-cb");
        assertThat(partner.name()).isEqualTo("Renamed RP");
        assertError(server.http().get(uri, Http.bearer(oldToken)), 401, "invalid_token");
        assertThat(server.http().get(uri, Http.bearer(newToken)).json().path("scope").asText()).isEqualTo("read.email openid");
        // The secret did not change: the client still authenticates with it.
        Http.Response introspect = OidcTestSupport.postForm(server, "/api/v1/oidc/introspect",
                Http.basic(client.path("client_id").asText(), client.path("client_secret").asText()), Map.of("token", "x"));
        assertThat(introspect.status()).isEqualTo(200);
    }

    @Test
    void updateWhenClientIdSecretOrMetadataWrongThenErrorAndNothingChanged() {
        JsonNode client = registered(server, initialToken(server), metadata());
        String uri = client.path("registration_client_uri").asText();
        String token = client.path("registration_access_token").asText();
        String clientId = client.path("client_id").asText();
        Partner before = server.app.partners.find(UUID.fromString(clientId)).orElseThrow();
        Map<String, Object> good = with(metadata(), "client_id", clientId);

        assertError(server.http().json("PUT", uri, Http.bearer(token), with(good, "client_id", null)), 400, "invalid_client_metadata");
        assertError(server.http().json("PUT", uri, Http.bearer(token), with(good, "client_id", UUID.randomUUID().toString())),
                400, "invalid_client_metadata");
        assertError(server.http().json("PUT", uri, Http.bearer(token), with(good, "client_secret", "wrong")), 400,
                "invalid_client_metadata");
        assertError(server.http().json("PUT", uri, Http.bearer(token), with(good, "registration_access_token", token)), 400,
                "invalid_client_metadata");
        assertError(server.http().json("PUT", uri, Http.bearer(token), with(good, "redirect_uris", List.of("javascript:alert(1)"))),
                400, "invalid_redirect_uri");
        assertError(server.http().json("PUT", uri, Http.bearer(token), with(good, "token_endpoint_auth_method", "none")), 400,
                "invalid_client_metadata");
        assertError(server.http().json("PUT", uri, Http.bearer("nope"), good), 401, "invalid_token");

        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow()).isEqualTo(before);
        assertThat(server.http().get(uri, Http.bearer(token)).status()).isEqualTo(200); // the token was not rotated
    }

    @Test
    void deleteWhenRegistrationTokenGoodThenClientDisabledItsTokensDeadAndRegistrationGone() {
        JsonNode client = registered(server, initialToken(server), metadata());
        String clientId = client.path("client_id").asText();
        var rp = new OidcTestSupport.Client(clientId, client.path("client_secret").asText(), CALLBACK);
        String accessToken = OidcTestSupport.exchange(server, rp, OidcTestSupport.code(server, rp)).path("access_token").asText();
        assertThat(OidcTestSupport.userinfo(server, accessToken).status()).isEqualTo(200);
        String uri = client.path("registration_client_uri").asText();
        String token = client.path("registration_access_token").asText();

        assertError(server.http().send("DELETE", uri, Http.bearer("nope"), null, null), 401, "invalid_token");
        Http.Response deleted = server.http().send("DELETE", uri, Http.bearer(token), null, null);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(OidcTestSupport.userinfo(server, accessToken).status()).isEqualTo(401);
        OidcTestSupport.assertOAuthError(OidcTestSupport.postForm(server, "/api/v1/oidc/introspect", rp.basic(),
                Map.of("token", accessToken)), 401, "invalid_client");
        assertError(server.http().get(uri, Http.bearer(token)), 401, "invalid_token");
        assertError(server.http().send("DELETE", uri, Http.bearer(token), null, null), 401, "invalid_token");
        assertThat(server.count("SELECT COUNT(*) FROM client_registrations WHERE client_id = ?", UUID.fromString(clientId))).isZero();
    }

    @Test
    void registerWhenInitialTokenMissingWrongExpiredUsedUpOrRevokedThen401AndNothingChanged() {
        var once = server.app.registrationTokens.create(Duration.ofHours(1), 1, "once", "test");
        registered(server, once.token(), metadata());
        var shortLived = server.app.registrationTokens.create(Duration.ofMinutes(5), null, null, "test");
        var revoked = server.app.registrationTokens.create(Duration.ofHours(1), null, null, "test");
        assertThat(server.app.registrationTokens.revoke(revoked.info().id(), "test")).isTrue();
        long[] before = state(server);

        assertError(register(server, null, metadata()), 401, "invalid_token");
        assertError(register(server, "not-a-token", metadata()), 401, "invalid_token");
        assertError(register(server, once.token(), metadata()), 401, "invalid_token");
        assertError(register(server, revoked.token(), metadata()), 401, "invalid_token");
        Http.Response basic = server.http().json("POST", PATH, Http.basic("a", shortLived.token()), metadata());
        assertError(basic, 401, "invalid_token");
        server.clock.advance(Duration.ofMinutes(6));
        try {
            assertError(register(server, shortLived.token(), metadata()), 401, "invalid_token");
        } finally {
            server.clock.advance(Duration.ofMinutes(-6));
        }

        assertThat(state(server)).containsExactly(before);
        assertThat(register(server, shortLived.token(), metadata()).status()).isEqualTo(201);
    }

    @Test
    void registerWhenMetadataBadThenTheRfcErrorAndNothingChanged() {
        String token = initialToken(server);
        long[] before = state(server);
        Map<String, Object> m = metadata();
        Map<String, Map<String, Object>> badRedirects = new java.util.LinkedHashMap<>();
        badRedirects.put("http for a web client", with(m, "redirect_uris", List.of("http://rp.example/cb")));
        badRedirects.put("javascript", with(m, "redirect_uris", List.of("javascript:alert(document.cookie)")));
        badRedirects.put("data", with(m, "redirect_uris", List.of("data:text/html,<script>alert(1)</script>")));
        badRedirects.put("fragment", with(m, "redirect_uris", List.of("https://rp.example/cb#x")));
        badRedirects.put("wildcard", with(m, "redirect_uris", List.of("https://*.rp.example/cb")));
        badRedirects.put("relative", with(m, "redirect_uris", List.of("/cb")));
        badRedirects.put("none", with(m, "redirect_uris", null));
        badRedirects.put("empty", with(m, "redirect_uris", List.of()));
        badRedirects.put("custom scheme for a web client", with(m, "redirect_uris", List.of("com.example.app:/cb")));
        badRedirects.put("native without reverse domain", with(m, "application_type", "native", "redirect_uris", List.of("myapp:/cb")));
        badRedirects.put("javascript post-logout", with(m, "post_logout_redirect_uris", List.of("javascript:alert(1)")));
        badRedirects.forEach((name, body) -> {
            JsonNode error = assertError(register(server, token, body), 400, "invalid_redirect_uri");
            assertThat(error).as(name).isNotNull();
        });

        Map<String, Object> badMetadata = new java.util.LinkedHashMap<>();
        badMetadata.put("grant beyond the policy", with(m, "grant_types", List.of("authorization_code", "client_credentials")));
        badMetadata.put("implicit grant", with(m, "grant_types", List.of("implicit"), "response_types", List.of("token")));
        badMetadata.put("token response type", with(m, "response_types", List.of("code", "token")));
        badMetadata.put("code without authorization_code", with(m, "grant_types", List.of("refresh_token")));
        badMetadata.put("scope beyond the policy", with(m, "scope", "openid read.cards"));
        badMetadata.put("unknown scope", with(m, "scope", "openid admin"));
        badMetadata.put("private_key_jwt without keys", with(m, "token_endpoint_auth_method", "private_key_jwt"));
        badMetadata.put("jwks and jwks_uri", with(m, "token_endpoint_auth_method", "private_key_jwt",
                "jwks", publicJwks(), "jwks_uri", "https://rp.example/jwks"));
        badMetadata.put("private jwks", with(m, "token_endpoint_auth_method", "private_key_jwt", "jwks", privateJwks()));
        badMetadata.put("empty jwks", with(m, "jwks", Map.of("keys", List.of())));
        badMetadata.put("jwks_uri over http", with(m, "jwks_uri", "http://rp.example/jwks"));
        badMetadata.put("logo over http", with(m, "logo_uri", "http://rp.example/logo.png"));
        badMetadata.put("tos javascript", with(m, "tos_uri", "javascript:alert(1)"));
        badMetadata.put("redirect_uris a string", with(m, "redirect_uris", CALLBACK));
        badMetadata.put("client_name a number", with(m, "client_name", 7));
        badMetadata.put("client_name too long", with(m, "client_name", "x".repeat(201)));
        badMetadata.put("bad application_type", with(m, "application_type", "desktop"));
        badMetadata.put("array body", List.of(m));
        badMetadata.put("not JSON", "{not json");
        badMetadata.forEach((name, body) -> {
            JsonNode error = assertError(register(server, token, body), 400, "invalid_client_metadata");
            assertThat(error).as(name).isNotNull();
        });
        assertError(register(server, token, with(m, "software_statement", "eyJ.x.y")), 400, "invalid_software_statement");
        Http.Response form = server.http().send("POST", PATH, Http.bearer(token), "application/x-www-form-urlencoded",
                "redirect_uris=https://rp.example/cb".getBytes());
        assertError(form, 400, "invalid_client_metadata");
        Http.Response tooLarge = register(server, token, with(m, "client_name#en", "x".repeat(70_000)));
        assertThat(tooLarge.status()).isEqualTo(400);

        assertThat(state(server)).containsExactly(before);
    }

    @Test
    void registerWhenNativeOrPublicThenLoopbackAndPrivateSchemesAndNoSecret() {
        JsonNode client = registered(server, initialToken(server), with(metadata(), "application_type", "native",
                "token_endpoint_auth_method", "none",
                "redirect_uris", List.of("com.example.app:/oauth", "http://127.0.0.1:51000/cb"),
                "post_logout_redirect_uris", null));

        assertThat(client.has("client_secret")).isFalse();
        assertThat(client.has("client_secret_expires_at")).isFalse();
        assertThat(client.path("application_type").asText()).isEqualTo("native");
        assertThat(server.app.partners.find(UUID.fromString(client.path("client_id").asText())).orElseThrow()
                .settings().publicClient()).isTrue();
    }

    @Test
    void registerWhenDevelopmentModeThenLoopbackHttpAllowedForWebClientsAndDefaultsFilledIn() {
        JsonNode client = registered(server, initialToken(server), Map.of("redirect_uris", List.of("http://localhost:3000/cb")));

        assertThat(client.path("grant_types").toString()).isEqualTo("[\"authorization_code\"]");
        assertThat(client.path("response_types").toString()).isEqualTo("[\"code\"]");
        assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("client_secret_basic");
        assertThat(client.path("application_type").asText()).isEqualTo("web");
        assertThat(client.path("scope").asText()).contains("openid", "read.phone").doesNotContain("read.cards", "read.profile",
                "read.identifier");
    }

    @Test
    void registrationIsAudited() {
        var issued = server.app.registrationTokens.create(Duration.ofHours(1), 2, "audited", "test");
        JsonNode client = registered(server, issued.token(), metadata());
        String clientId = client.path("client_id").asText();
        server.http().send("DELETE", client.path("registration_client_uri").asText(),
                Http.bearer(client.path("registration_access_token").asText()), null, null);

        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'admin.registration_token.created' AND subject = ?",
                issued.info().id().toString())).isOne();
        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'registration.token.used' AND subject = ?",
                issued.info().id().toString())).isOne();
        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'registration.client.registered' AND subject = ?",
                clientId)).isOne();
        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'registration.client.deleted' AND subject = ?",
                clientId)).isOne();
        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE details LIKE ?", "%" + issued.token() + "%")).isZero();
    }

    static final com.nimbusds.jose.jwk.ECKey KEY;

    static {
        try {
            KEY = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("k1").generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Map<String, Object> publicJwks() {
        return new com.nimbusds.jose.jwk.JWKSet(KEY.toPublicJWK()).toJSONObject(true);
    }

    static Map<String, Object> privateJwks() {
        return new com.nimbusds.jose.jwk.JWKSet(KEY).toJSONObject(false);
    }

    @Test
    void registerWhenPrivateKeyJwtWithJwksThenPublicKeysKeptAndEchoed() {
        JsonNode client = registered(server, initialToken(server), with(metadata(), "token_endpoint_auth_method",
                "private_key_jwt", "jwks", publicJwks()));

        assertThat(client.has("client_secret")).isFalse();
        assertThat(client.path("jwks").path("keys").get(0).path("kid").asText()).isEqualTo("k1");
        assertThat(client.path("jwks").path("keys").get(0).has("d")).isFalse();
    }

    @Test
    void registerWhenClientSecretJwtThenHmacAssertionsAuthenticateAndNoOtherClientCanTakeTheMethodUpLater() throws Exception {
        JsonNode client = registered(server, initialToken(server), with(metadata(), "token_endpoint_auth_method", "client_secret_jwt"));
        String id = client.path("client_id").asText();
        String secret = client.path("client_secret").asText();
        assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("client_secret_jwt");

        assertThat(introspectWithMac(id, secret).status()).isEqualTo(200);
        assertThat(introspectWithMac(id, secret + "x").status()).isEqualTo(401);

        // A client registered with another method cannot switch: only a hash of its secret exists.
        JsonNode basic = registered(server, initialToken(server), metadata());
        var update = with(metadata(), "client_id", basic.path("client_id").asText(), "token_endpoint_auth_method", "client_secret_jwt");
        assertError(server.http().json("PUT", basic.path("registration_client_uri").asText(),
                Http.bearer(basic.path("registration_access_token").asText()), update), 400, "invalid_client_metadata");
        assertThat(introspectWithMac(basic.path("client_id").asText(), basic.path("client_secret").asText()).status())
                .isEqualTo(401);
    }

    private static Http.Response introspectWithMac(String clientId, String secret) throws Exception {
        java.time.Instant now = server.clock.instant();
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(server.app.config.issuer() + "/api/v1/oidc/token").jwtID(UUID.randomUUID().toString())
                .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(60))).build();
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return OidcTestSupport.postForm(server, "/api/v1/oidc/introspect", null, Map.of("token", "x",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", jwt.serialize()));
    }

    @Test
    void discoveryAdvertisesTheRegistrationEndpoint() {
        JsonNode d = server.http().get("/.well-known/openid-configuration", null).json();
        assertThat(d.path("registration_endpoint").asText()).isEqualTo(server.app.config.issuer() + PATH);
    }
}
