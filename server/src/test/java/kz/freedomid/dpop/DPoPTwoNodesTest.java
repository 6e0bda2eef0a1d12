package kz.freedomid.dpop;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import kz.freedomid.App;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one database, as behind a load balancer: a proof accepted by one is a replay at the other (RFC 9449
 * §11.1), a nonce handed out by one is good at the other, and htu is the issuer's URL whichever node answers.
 */
class DPoPTwoNodesTest {
    static TestServer server;
    static App second;
    static Http secondHttp;
    static String tokenUrl;
    static Client client;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_DPOP_NONCE", "required"));
        second = new App(server.app.config.withPort(0), server.clock).start();
        secondHttp = new Http("http://localhost:" + second.port());
        tokenUrl = server.app.config.issuer() + "/api/v1/oidc/token";
        client = register(server, GRANTS, settings(false, Set.of("users:write"), "RS256"));
    }

    @AfterAll
    static void stop() {
        second.close();
        server.close();
    }

    static Http.Response token(Http http, String proof) {
        return http.withHeader("DPoP", proof).send("POST", "/api/v1/oidc/token", client.basic(),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nonceFromOneNodeIsGoodAtTheOtherAndAProofIsAcceptedOnce() {
        Proofs key = Proofs.es256();
        String nonce = token(server.http(), key.proof("POST", tokenUrl, server.clock.instant(), null, null)).header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();
        String proof = key.proof("POST", tokenUrl, server.clock.instant(), null, nonce);
        Http.Response atSecond = token(secondHttp, proof);
        assertThat(atSecond.status()).as(atSecond.body()).isEqualTo(200);
        assertThat(atSecond.json().path("token_type").asText()).isEqualTo("DPoP");
        long pairs = count(server, "token_pairs");
        Http.Response replayed = token(server.http(), proof);
        assertOAuthError(replayed, 400, "invalid_dpop_proof");
        assertThat(count(server, "token_pairs")).isEqualTo(pairs);
    }

    @Test
    void htuIsTheIssuersUrlNotTheNodeTheRequestReached() {
        Proofs key = Proofs.es256();
        String nonce = token(secondHttp, key.proof("POST", tokenUrl, server.clock.instant(), null, null)).header("DPoP-Nonce");
        Http.Response nodeUrl = token(secondHttp, key.proof("POST", "http://localhost:" + second.port() + "/api/v1/oidc/token",
                server.clock.instant(), null, nonce));
        assertOAuthError(nodeUrl, 400, "invalid_dpop_proof");
    }
}
