package kz.freedomid.dpop;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DPoP-bound tokens at the protected resources (RFC 9449 §7): OIDC userinfo and the partner API's user info (contract
 * 3.5) take {@code Authorization: DPoP} with a proof, and refuse the bound token as a bearer token.
 */
class DPoPResourceTest {
    static TestServer server;
    static String issuer;
    static Client client;
    static Proofs key;
    static String access;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        issuer = server.app.config.issuer();
        client = confidential(server);
        key = Proofs.es256();
        Http.Response response = server.http().withHeader("DPoP", key.proof("POST", issuer + "/api/v1/oidc/token", now(), null, null))
                .send("POST", "/api/v1/oidc/token", client.basic(), "application/x-www-form-urlencoded",
                        form(codeGrant(code(server, client))).getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        access = response.json().path("access_token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Instant now() {
        return server.clock.instant();
    }

    static Http.Response get(String path, String authorization, String proof) {
        Http http = proof == null ? server.http() : server.http().withHeader("DPoP", proof);
        return http.get(path, authorization);
    }

    static String dpop(String token) {
        return "DPoP " + token;
    }

    @Test
    void userinfoAcceptsTheBoundTokenWithAProof() {
        Http.Response response = get("/api/v1/oidc/userinfo", dpop(access),
                key.proof("GET", issuer + "/api/v1/oidc/userinfo", now(), access, null));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("sub").asText()).isNotBlank();
        assertThat(response.header("DPoP-Nonce")).isNotBlank();

        Http.Response post = server.http().withHeader("DPoP", key.proof("POST", issuer + "/api/v1/oidc/userinfo", now(), access, null))
                .send("POST", "/api/v1/oidc/userinfo", dpop(access), null, null);
        assertThat(post.status()).as(post.body()).isEqualTo(200);
    }

    @Test
    void userinfoRefusesTheBoundTokenAsBearer() {
        Http.Response response = userinfo(server, access);
        assertOAuthError(response, 401, "invalid_token");
        Http.Response inBody = postForm(server, "/api/v1/oidc/userinfo", null, Map.of("access_token", access));
        assertOAuthError(inBody, 401, "invalid_token");
    }

    @Test
    void userinfoRefusesEachBadProofWithADpopChallenge() {
        String url = issuer + "/api/v1/oidc/userinfo";
        String replayed = key.proof("GET", url, now(), access, null);
        assertThat(get("/api/v1/oidc/userinfo", dpop(access), replayed).status()).isEqualTo(200);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("wrong method", key.proof("POST", url, now(), access, null));
        bad.put("wrong URL", key.proof("GET", issuer + "/api/v1/oauth/user", now(), access, null));
        bad.put("wrong ath", key.proof("GET", url, now(), access.substring(1) + "x", null));
        bad.put("no ath", key.proof("GET", url, now(), null, null));
        bad.put("old iat", key.proof("GET", url, now().minus(Duration.ofSeconds(120)), access, null));
        bad.put("replayed jti", replayed);
        bad.put("stale nonce", key.proof("GET", url, now(), access, "AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        bad.forEach((why, proof) -> {
            Http.Response response = get("/api/v1/oidc/userinfo", dpop(access), proof);
            String error = why.equals("stale nonce") ? "use_dpop_nonce" : "invalid_dpop_proof";
            assertOAuthError(response, 401, error);
            assertThat(response.header("WWW-Authenticate")).as(why).startsWith("DPoP error=\"" + error + "\"")
                    .contains("algs=\"");
            assertThat(response.header("DPoP-Nonce")).as(why).isNotBlank();
        });
        Http.Response noProof = get("/api/v1/oidc/userinfo", dpop(access), null);
        assertOAuthError(noProof, 401, "invalid_dpop_proof");
    }

    @Test
    void userinfoRefusesAProofOfAnotherKeyAndAnUnboundTokenAsDpop() {
        Proofs other = Proofs.es256();
        Http.Response response = get("/api/v1/oidc/userinfo", dpop(access),
                other.proof("GET", issuer + "/api/v1/oidc/userinfo", now(), access, null));
        assertOAuthError(response, 401, "invalid_token");
        assertThat(response.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_token\"");

        String bearer = exchange(server, client, code(server, client)).path("access_token").asText();
        assertThat(userinfo(server, bearer).status()).isEqualTo(200);
        Http.Response asDpop = get("/api/v1/oidc/userinfo", dpop(bearer),
                key.proof("GET", issuer + "/api/v1/oidc/userinfo", now(), bearer, null));
        assertOAuthError(asDpop, 401, "invalid_token");
    }

    @Test
    void partnerUserInfoAcceptsTheBoundTokenWithAProof() {
        Http.Response response = get("/api/v1/oauth/user", dpop(access),
                key.proof("GET", issuer + "/api/v1/oauth/user", now(), access, null));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("id").asText()).isNotBlank();
        assertThat(body.has("firstname")).isTrue();
    }

    @Test
    void partnerUserInfoKeepsTheContractErrorsWithADpopChallenge() {
        Http.Response asBearer = server.http().get("/api/v1/oauth/user", Http.bearer(access));
        assertThat(asBearer.status()).isEqualTo(401);
        assertThat(asBearer.errorCode()).isEqualTo(100002);

        Http.Response badAth = get("/api/v1/oauth/user", dpop(access),
                key.proof("GET", issuer + "/api/v1/oauth/user", now(), "x" + access.substring(1), null));
        assertThat(badAth.status()).as(badAth.body()).isEqualTo(401);
        assertThat(badAth.errorCode()).isEqualTo(100002);
        assertThat(badAth.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"");

        Http.Response otherKey = get("/api/v1/oauth/user", dpop(access),
                Proofs.es256().proof("GET", issuer + "/api/v1/oauth/user", now(), access, null));
        assertThat(otherKey.status()).isEqualTo(401);
        assertThat(otherKey.errorCode()).isEqualTo(100002);
        assertThat(otherKey.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_token\"");
    }
}
