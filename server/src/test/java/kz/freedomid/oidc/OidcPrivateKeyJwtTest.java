package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** private_key_jwt client authentication (RFC 7523 §2.2, OIDC Core §9) at the token, PAR, introspection and revocation endpoints. */
class OidcPrivateKeyJwtTest {
    static TestServer server;
    static String issuer;
    static RSAKey rsa;
    static ECKey ec;
    static Client client;

    @BeforeAll
    static void start() throws JOSEException {
        server = TestServer.start();
        issuer = server.app.config.issuer();
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        String jwks = PartnerService.publicJwks(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        client = register(server, GRANTS, settings(false, Set.of(), "RS256").withJwks(jwks));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JWTClaimsSet.Builder claims(String audience) {
        Instant now = server.clock.instant();
        return new JWTClaimsSet.Builder().issuer(client.clientId()).subject(client.clientId()).audience(audience)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)));
    }

    static String sign(JWTClaimsSet claims, JWSAlgorithm alg, JWSSigner signer, String kid) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static String assertion() {
        return rs256(claims(issuer + "/api/v1/oidc/token").build());
    }

    static String rs256(JWTClaimsSet claims) {
        try {
            return sign(claims, JWSAlgorithm.RS256, new RSASSASigner(rsa), rsa.getKeyID());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> auth(Map<String, String> params, String assertion) {
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        out.put("client_assertion", assertion);
        return out;
    }

    static Http.Response introspect(String assertion) {
        return postForm(server, "/api/v1/oidc/introspect", null, auth(Map.of("token", "nope"), assertion));
    }

    @Test
    void aValidAssertionAuthenticatesAtTheTokenEndpointAndTheCodeBuysTokens() {
        Code code = code(server, client);
        Http.Response response = tokenForm(server, null, auth(codeGrant(code), assertion()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("access_token").asText()).isNotBlank();
    }

    @Test
    void assertionsWorkAtParIntrospectionAndRevocationWithRs256Ps256Es256AndTheIssuerAsAudience() throws JOSEException {
        Http.Response par = postForm(server, "/api/v1/oidc/par", null, auth(request(client, verifier()), assertion()));
        assertThat(par.status()).as(par.body()).isEqualTo(201);
        Http.Response introspect = introspect(sign(claims(issuer).build(), JWSAlgorithm.PS256, new RSASSASigner(rsa), null));
        assertThat(introspect.status()).as(introspect.body()).isEqualTo(200);
        assertThat(introspect.json().path("active").asBoolean()).isFalse();
        Http.Response revoke = postForm(server, "/api/v1/oidc/revoke", null, auth(Map.of("token", "nope"),
                sign(claims(issuer + "/api/v1/oidc/token").build(), JWSAlgorithm.ES256, new ECDSASigner(ec), ec.getKeyID())));
        assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);
    }

    @Test
    void aReplayedJtiIsInvalidClientEverywhere() {
        String once = assertion();
        assertThat(introspect(once).status()).isEqualTo(200);
        assertOAuthError(introspect(once), 401, "invalid_client");
        assertOAuthError(postForm(server, "/api/v1/oidc/revoke", null, auth(Map.of("token", "nope"), once)), 401, "invalid_client");
        assertOAuthError(postForm(server, "/api/v1/oidc/par", null, auth(request(client, verifier()), once)), 401, "invalid_client");
        Code code = code(server, client);
        assertOAuthError(tokenForm(server, null, auth(codeGrant(code), once)), 401, "invalid_client");
    }

    @Test
    void badAssertionsAreInvalidClient() throws JOSEException {
        Instant now = server.clock.instant();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("wrong audience", rs256(claims("https://elsewhere.example/token").build()));
        bad.put("expired", rs256(claims(issuer).expirationTime(Date.from(now.minusSeconds(120))).build()));
        bad.put("no exp", rs256(claims(issuer).expirationTime(null).build()));
        bad.put("exp too far", rs256(claims(issuer).expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build()));
        bad.put("no jti", rs256(claims(issuer).jwtID(null).build()));
        bad.put("sub differs", rs256(claims(issuer).subject(UUID.randomUUID().toString()).build()));
        bad.put("wrong key", sign(claims(issuer).build(), JWSAlgorithm.RS256, new RSASSASigner(stranger), "rsa-1"));
        bad.put("alg none", new PlainJWT(claims(issuer).build()).serialize());
        bad.put("not a JWT", "not-a-jwt");
        bad.forEach((name, assertion) -> {
            JsonNode error = assertOAuthError(introspect(assertion), 401, "invalid_client");
            assertThat(error).as(name).isNotNull();
            assertOAuthError(postForm(server, "/api/v1/oidc/par", null, auth(request(client, verifier()), assertion)), 401,
                    "invalid_client");
        });
        Map<String, String> wrongType = auth(Map.of("token", "nope"), assertion());
        wrongType.put("client_assertion_type", "urn:other");
        assertOAuthError(postForm(server, "/api/v1/oidc/introspect", null, wrongType), 401, "invalid_client");
        Map<String, String> otherClientId = auth(Map.of("token", "nope", "client_id", UUID.randomUUID().toString()), assertion());
        assertOAuthError(postForm(server, "/api/v1/oidc/introspect", null, otherClientId), 401, "invalid_client");
    }

    @Test
    void nimbusPrivateKeyJwtAuthenticatesAnIntrospectionRequest() throws Exception {
        var auth = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(new com.nimbusds.oauth2.sdk.id.ClientID(client.clientId()),
                java.net.URI.create(issuer + "/api/v1/oidc/token"), JWSAlgorithm.RS256, rsa.toRSAPrivateKey(), rsa.getKeyID(), null);
        var request = new com.nimbusds.oauth2.sdk.TokenIntrospectionRequest(
                java.net.URI.create(server.baseUrl + "/api/v1/oidc/introspect"), auth,
                new com.nimbusds.oauth2.sdk.token.BearerAccessToken("nope"));
        var response = com.nimbusds.oauth2.sdk.TokenIntrospectionResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.toSuccessResponse().isActive()).isFalse();
    }

    @Test
    void aJwksWithPrivateKeysIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PartnerService.publicJwks(new JWKSet(List.of(rsa)).toString(false)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientWithoutJwksCannotUseAnAssertion() {
        Client plain = confidential(server);
        Instant now = server.clock.instant();
        String assertion = rs256(new JWTClaimsSet.Builder().issuer(plain.clientId()).subject(plain.clientId()).audience(issuer)
                .jwtID("j1").expirationTime(Date.from(now.plusSeconds(60))).build());
        assertOAuthError(introspect(assertion), 401, "invalid_client");
    }

    @Test
    void expiredJtisAreCleanedUp() {
        assertThat(introspect(assertion()).status()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(10));
        try {
            assertThat(server.app.clientAssertions.cleanup()).isPositive();
            assertThat(server.count("SELECT COUNT(*) FROM client_assertion_jtis")).isZero();
        } finally {
            server.clock.advance(Duration.ofMinutes(-10));
        }
    }

    @Test
    void discoveryListsPrivateKeyJwtAndClientSecretJwtAndTheirAlgorithms() {
        JsonNode d = server.http().get("/.well-known/openid-configuration", null).json();
        assertThat(d.path("token_endpoint_auth_methods_supported").toString()).contains("private_key_jwt")
                .contains("client_secret_jwt");
        assertThat(d.path("token_endpoint_auth_signing_alg_values_supported").toString())
                .contains("RS256", "PS256", "ES256", "HS256", "HS384", "HS512").doesNotContain("none");
        assertThat(d.path("introspection_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");
        assertThat(d.path("revocation_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");
    }
}
