package kz.freedomid.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.List;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdTokenTest {
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
    void exchangeWhenOpenidGrantedThenIdTokenIsSignedByAPublishedKey() throws Exception {
        var partner = Flows.partner(server, Grant.OPENID, Grant.READ_FIRSTNAME);
        String code = Flows.codeFrom(server, partner, List.of("openid", "read.firstname"));
        Http.Response response = server.http().json("POST", "/api/v1/oauth/token", partner.basic(),
                java.util.Map.of("authorization_code", code));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        SignedJWT idToken = SignedJWT.parse(response.json().get("id_token").asText());

        Http.Response jwks = server.http().get("/api/v1/oidc/jwks", null);
        assertThat(jwks.status()).isEqualTo(200);
        JWKSet keys = JWKSet.parse(jwks.body());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(idToken.getHeader().getKeyID());
        assertThat(key).isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();

        var claims = idToken.getJWTClaimsSet();
        String accessToken = response.json().get("access_token").asText();
        String freedomId = server.http().get("/api/v1/oauth/user", Http.bearer(accessToken)).json().get("id").asText();
        assertThat(claims.getIssuer()).isEqualTo(server.app.config.issuer());
        assertThat(claims.getSubject()).isEqualTo(freedomId);
        assertThat(claims.getAudience()).containsExactly(partner.clientId());
        assertThat(claims.getExpirationTime()).isAfter(Date.from(server.clock.instant()));
        assertThat(claims.getStringClaim("at_hash")).isEqualTo(IdTokens.atHash(accessToken));
        assertThat(claims.getStringListClaim("amr")).containsExactly("sms");
        assertThat(claims.getStringClaim("sid")).isNotBlank();
        assertThat(claims.getLongClaim("auth_time")).isPositive();
    }

    @Test
    void refreshWhenOpenidGrantedThenNewIdTokenBindsTheNewAccessToken() throws Exception {
        var partner = Flows.partner(server, Grant.OPENID);
        var tokens = Flows.exchange(server, partner, Flows.codeFrom(server, partner, List.of("openid")));
        Http.Response refreshed = server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(tokens.refreshToken()), null, null);
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        var claims = SignedJWT.parse(refreshed.json().get("id_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("at_hash")).isEqualTo(IdTokens.atHash(refreshed.json().get("access_token").asText()));
        assertThat(claims.getAudience()).containsExactly(partner.clientId());
    }

    @Test
    void exchangeWithoutOpenidHasNoIdToken() {
        var partner = Flows.partner(server, Grant.READ_PHONE);
        var response = server.http().json("POST", "/api/v1/oauth/token", partner.basic(),
                java.util.Map.of("authorization_code", Flows.codeFrom(server, partner, List.of("read.phone"))));
        assertThat(response.json().has("id_token")).isFalse();
    }

    @Test
    void privateKeysAreStoredEncrypted() {
        assertThat(server.count("SELECT COUNT(*) FROM signing_keys")).isPositive();
        assertThat(server.count("SELECT COUNT(*) FROM signing_keys WHERE private_jwk_enc LIKE '%\"d\"%'")).isZero();
        assertThat(server.count("SELECT COUNT(*) FROM signing_keys WHERE public_jwk LIKE '%\"d\"%'")).isZero();
    }
}
