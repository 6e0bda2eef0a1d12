package kz.freedomid.dpop;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server nonces (RFC 9449 §8, §9) with FREEDOM_ID_DPOP_NONCE=required: demanded, retried, and refused once stale. */
class DPoPNonceTest {
    static TestServer server;
    static String issuer;
    static Client client;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_DPOP_NONCE", "required"));
        issuer = server.app.config.issuer();
        client = register(server, GRANTS, settings(false, Set.of("users:write"), "RS256"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response token(String proof) {
        return server.http().withHeader("DPoP", proof).send("POST", "/api/v1/oidc/token", client.basic(),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokenEndpointDemandsANonceAndAcceptsTheRetry() {
        Proofs key = Proofs.es256();
        String url = issuer + "/api/v1/oidc/token";
        long pairs = count(server, "token_pairs");
        Http.Response first = token(key.proof("POST", url, server.clock.instant(), null, null));
        assertOAuthError(first, 400, "use_dpop_nonce");
        String nonce = first.header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();
        assertThat(count(server, "token_pairs")).isEqualTo(pairs);

        Http.Response retry = token(key.proof("POST", url, server.clock.instant(), null, nonce));
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json().path("token_type").asText()).isEqualTo("DPoP");
        assertThat(retry.header("DPoP-Nonce")).isNotBlank();
    }

    @Test
    void aNonceGoesStaleAfterTwoSlots() {
        Proofs key = Proofs.es256();
        String url = issuer + "/api/v1/oidc/token";
        String nonce = token(key.proof("POST", url, server.clock.instant(), null, null)).header("DPoP-Nonce");
        server.clock.advance(DPoPNonces.SLOT);
        Http.Response stillGood = token(key.proof("POST", url, server.clock.instant(), null, nonce));
        assertThat(stillGood.status()).as(stillGood.body()).isEqualTo(200);
        server.clock.advance(DPoPNonces.SLOT.plus(Duration.ofSeconds(1)));
        Http.Response stale = token(key.proof("POST", url, server.clock.instant(), null, nonce));
        assertOAuthError(stale, 400, "use_dpop_nonce");
        assertThat(stale.header("DPoP-Nonce")).isNotEqualTo(nonce);
        Http.Response forged = token(key.proof("POST", url, server.clock.instant(), null,
                stale.header("DPoP-Nonce").substring(0, 20) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".substring(0, 
                        stale.header("DPoP-Nonce").length() - 20)));
        assertOAuthError(forged, 400, "use_dpop_nonce");
    }

    @Test
    void userinfoDemandsANonceWithAChallenge() {
        Client rp = confidential(server);
        Proofs key = Proofs.es256();
        String tokenUrl = issuer + "/api/v1/oidc/token";
        Map<String, String> grant = codeGrant(code(server, rp));
        String nonce = server.http().withHeader("DPoP", key.proof("POST", tokenUrl, server.clock.instant(), null, null))
                .send("POST", "/api/v1/oidc/token", rp.basic(), "application/x-www-form-urlencoded",
                        form(grant).getBytes(StandardCharsets.UTF_8)).header("DPoP-Nonce");
        Http.Response issued = server.http().withHeader("DPoP", key.proof("POST", tokenUrl, server.clock.instant(), null, nonce))
                .send("POST", "/api/v1/oidc/token", rp.basic(), "application/x-www-form-urlencoded",
                        form(grant).getBytes(StandardCharsets.UTF_8));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        String access = issued.json().path("access_token").asText();
        String url = issuer + "/api/v1/oidc/userinfo";

        Http.Response demanded = server.http().withHeader("DPoP", key.proof("GET", url, server.clock.instant(), access, null))
                .get("/api/v1/oidc/userinfo", "DPoP " + access);
        assertOAuthError(demanded, 401, "use_dpop_nonce");
        assertThat(demanded.header("WWW-Authenticate")).startsWith("DPoP error=\"use_dpop_nonce\"");
        Http.Response retried = server.http()
                .withHeader("DPoP", key.proof("GET", url, server.clock.instant(), access, demanded.header("DPoP-Nonce")))
                .get("/api/v1/oidc/userinfo", "DPoP " + access);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    }
}
