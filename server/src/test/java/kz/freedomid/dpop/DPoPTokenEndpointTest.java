package kz.freedomid.dpop;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DPoP at the token endpoint (RFC 9449 §4, §5): binding on every grant, refresh rules, and each way a proof fails. */
class DPoPTokenEndpointTest {
    static TestServer server;
    static String tokenUrl;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        tokenUrl = server.app.config.issuer() + "/api/v1/oidc/token";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Instant now() {
        return server.clock.instant();
    }

    static Http.Response token(String authorization, Map<String, String> params, String proof) {
        Http http = proof == null ? server.http() : server.http().withHeader("DPoP", proof);
        return http.send("POST", "/api/v1/oidc/token", authorization, "application/x-www-form-urlencoded",
                form(params).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> publicGrant(Client client, Code code) {
        Map<String, String> params = new LinkedHashMap<>(codeGrant(code));
        params.put("client_id", client.clientId());
        return params;
    }

    static String pairJkt(String column, String value) {
        return server.app.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT dpop_jkt FROM token_pairs WHERE " + column + " = :v").bind("v", value).mapTo(String.class).one());
    }

    @Test
    void discoveryAdvertisesTheProofAlgorithms() {
        JsonNode doc = server.http().get("/.well-known/openid-configuration", null).json();
        assertThat(doc.path("dpop_signing_alg_values_supported").toString()).contains("ES256", "RS256", "PS256")
                .doesNotContain("HS256", "none");
    }

    @Test
    void codeExchangeWithEs256ProofBindsTheTokensToTheKey() {
        Client client = confidential(server);
        Proofs key = Proofs.es256();
        Http.Response response = token(client.basic(), codeGrant(code(server, client)), key.proof("POST", tokenUrl, now(), null, null));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("token_type").asText()).isEqualTo("DPoP");
        assertThat(response.header("DPoP-Nonce")).isNotBlank();
        String access = body.path("access_token").asText();
        assertThat(pairJkt("access_hash", kz.freedomid.platform.Secrets.sha256(access))).isEqualTo(key.jkt());

        JsonNode introspected = postForm(server, "/api/v1/oidc/introspect", client.basic(), Map.of("token", access)).json();
        assertThat(introspected.path("active").asBoolean()).isTrue();
        assertThat(introspected.path("token_type").asText()).isEqualTo("DPoP");
        assertThat(introspected.path("cnf").path("jkt").asText()).isEqualTo(key.jkt());
    }

    @Test
    void clientCredentialsWithRs256ProofIsBoundAndWithoutProofIsBearer() {
        Client client = register(server, GRANTS, settings(false, Set.of("users:write"), "RS256"));
        Proofs key = Proofs.rsa(JWSAlgorithm.RS256);
        Map<String, String> params = Map.of("grant_type", "client_credentials");
        Http.Response bound = token(client.basic(), params, key.proof("POST", tokenUrl, now(), null, null));
        assertThat(bound.status()).as(bound.body()).isEqualTo(200);
        assertThat(bound.json().path("token_type").asText()).isEqualTo("DPoP");
        Http.Response bearer = token(client.basic(), params, null);
        assertThat(bearer.json().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(bearer.header("DPoP-Nonce")).isNull();

        Http.Response ps256 = token(client.basic(), params, Proofs.rsa(JWSAlgorithm.PS256).proof("POST", tokenUrl, now(), null, null));
        assertThat(ps256.json().path("token_type").asText()).as(ps256.body()).isEqualTo("DPoP");
    }

    @Test
    void publicClientRefreshNeedsAProofOfTheSameKey() {
        Client client = publicClient(server);
        Proofs key = Proofs.es256();
        JsonNode first = token(null, publicGrant(client, code(server, client)), key.proof("POST", tokenUrl, now(), null, null)).json();
        String refresh = first.path("refresh_token").asText();
        Map<String, String> params = Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", client.clientId());
        long pairs = count(server, "token_pairs");

        assertOAuthError(token(null, params, null), 400, "invalid_grant");
        assertOAuthError(token(null, params, Proofs.es256().proof("POST", tokenUrl, now(), null, null)), 400, "invalid_grant");
        assertThat(count(server, "token_pairs")).isEqualTo(pairs);

        Http.Response refreshed = token(null, params, key.proof("POST", tokenUrl, now(), null, null));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json().path("token_type").asText()).isEqualTo("DPoP");
        assertThat(pairJkt("refresh_hash", kz.freedomid.platform.Secrets.sha256(refreshed.json().path("refresh_token").asText())))
                .isEqualTo(key.jkt());
    }

    @Test
    void confidentialClientRefreshNeedsAProofAndMayMoveToANewKey() {
        Client client = confidential(server);
        JsonNode first = token(client.basic(), codeGrant(code(server, client)),
                Proofs.es256().proof("POST", tokenUrl, now(), null, null)).json();
        Map<String, String> params = Map.of("grant_type", "refresh_token", "refresh_token", first.path("refresh_token").asText());
        long pairs = count(server, "token_pairs");
        assertOAuthError(token(client.basic(), params, null), 400, "invalid_grant");
        assertThat(count(server, "token_pairs")).isEqualTo(pairs);

        Proofs newKey = Proofs.rsa(JWSAlgorithm.RS256);
        Http.Response refreshed = token(client.basic(), params, newKey.proof("POST", tokenUrl, now(), null, null));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(pairJkt("access_hash", kz.freedomid.platform.Secrets.sha256(refreshed.json().path("access_token").asText())))
                .isEqualTo(newKey.jkt());
    }

    @Test
    void partnerApiRefreshOfABoundPairIsRefusedAndChangesNothing() {
        Client client = confidential(server);
        JsonNode first = token(client.basic(), codeGrant(code(server, client)),
                Proofs.es256().proof("POST", tokenUrl, now(), null, null)).json();
        long pairs = count(server, "token_pairs");
        Http.Response response = server.http().send("PATCH", "/api/v1/oauth/token",
                Http.bearer(first.path("refresh_token").asText()), null, null);
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo(100104);
        assertThat(count(server, "token_pairs")).isEqualTo(pairs);
        assertThat(count(server, "token_pairs WHERE revoked_at IS NULL AND refresh_hash = '"
                + kz.freedomid.platform.Secrets.sha256(first.path("refresh_token").asText()) + "'")).isEqualTo(1);
    }

    /** Each bad proof: 400 invalid_dpop_proof, the code is not consumed (it still works afterwards), no pair is stored. */
    @Test
    void badProofsAreInvalidDpopProofAndChangeNothing() {
        Client client = confidential(server);
        Code code = code(server, client);
        Proofs key = Proofs.es256();
        Map<String, String> params = codeGrant(code);
        String replayed = key.proof("POST", tokenUrl, now(), null, null);
        assertThat(token(client.basic(), Map.of("grant_type", "client_credentials"), replayed).status()).isEqualTo(200);
        Proofs otherKey = Proofs.es256();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("wrong method", key.proof("GET", tokenUrl, now(), null, null));
        bad.put("wrong URL", key.proof("POST", server.app.config.issuer() + "/api/v1/oidc/userinfo", now(), null, null));
        bad.put("Host-header URL", key.proof("POST", "http://evil.example/api/v1/oidc/token", now(), null, null));
        bad.put("old iat", key.proof("POST", tokenUrl, now().minus(Duration.ofMinutes(5)), null, null));
        bad.put("future iat", key.proof("POST", tokenUrl, now().plus(Duration.ofMinutes(5)), null, null));
        bad.put("replayed jti", replayed);
        bad.put("wrong typ", key.sign(key.header().type(JOSEObjectType.JWT), Proofs.claims("POST", tokenUrl, now()).build()));
        bad.put("no jwk", key.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")),
                Proofs.claims("POST", tokenUrl, now()).build()));
        bad.put("private jwk", key.withPrivateJwk(Proofs.claims("POST", tokenUrl, now()).build()));
        bad.put("another key's jwk", key.sign(key.header().jwk(otherKey.key.toPublicJWK()), Proofs.claims("POST", tokenUrl, now()).build()));
        bad.put("no jti", key.sign(key.header(), Proofs.claims("POST", tokenUrl, now()).jwtID(null).build()));
        bad.put("not a JWT", "not-a-jwt");
        bad.put("alg none", "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ.eyJodG0iOiJQT1NUIn0.");
        long pairs = count(server, "token_pairs");
        long jtis = count(server, "dpop_proof_jtis");
        bad.forEach((why, proof) -> {
            Http.Response response = token(client.basic(), params, proof);
            assertThat(response.status()).as(why + ": " + response.body()).isEqualTo(400);
            assertThat(response.json().path("error").asText()).as(why).isEqualTo("invalid_dpop_proof");
            assertThat(response.header("DPoP-Nonce")).as(why).isNotBlank();
        });
        assertThat(count(server, "token_pairs")).isEqualTo(pairs);
        assertThat(count(server, "dpop_proof_jtis")).isEqualTo(jtis);
        assertThat(count(server, "auth_codes WHERE used_at IS NOT NULL AND code_hash = '"
                + kz.freedomid.platform.Secrets.sha256(code.code()) + "'")).isZero();

        Http.Response good = token(client.basic(), params, key.proof("POST", tokenUrl, now(), null, null));
        assertThat(good.status()).as(good.body()).isEqualTo(200);
    }

    @Test
    void twoDpopHeadersAreRefused() throws Exception {
        Client client = register(server, GRANTS, settings(false, Set.of("users:write"), "RS256"));
        Proofs key = Proofs.es256();
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Authorization", client.basic()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", key.proof("POST", tokenUrl, now(), null, null))
                .header("DPoP", key.proof("POST", tokenUrl, now(), null, null))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("invalid_dpop_proof");
    }

    @Test
    void jtisAreForgottenOnceTheirIatLeftTheWindow() {
        Client client = register(server, GRANTS, settings(false, Set.of("users:write"), "RS256"));
        assertThat(token(client.basic(), Map.of("grant_type", "client_credentials"),
                Proofs.es256().proof("POST", tokenUrl, now(), null, null)).status()).isEqualTo(200);
        assertThat(count(server, "dpop_proof_jtis")).isPositive();
        server.clock.advance(Duration.ofMinutes(3));
        try {
            server.app.dpop.cleanup();
            assertThat(count(server, "dpop_proof_jtis")).isZero();
        } finally {
            server.clock.advance(Duration.ofMinutes(-3));
        }
    }
}
