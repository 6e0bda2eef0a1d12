package kz.freedomid.dpop;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import kz.freedomid.platform.Secrets;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9449 §10: the authorization code bound to a DPoP key by dpop_jkt, or by a DPoP proof sent with the pushed request. */
class DPoPCodeBindingTest {
    static final String PAR = "/api/v1/oidc/par";
    static TestServer server;
    static String issuer;
    static Client client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        issuer = server.app.config.issuer();
        client = confidential(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response token(Code code, String proof) {
        Http http = proof == null ? server.http() : server.http().withHeader("DPoP", proof);
        return http.send("POST", "/api/v1/oidc/token", client.basic(), "application/x-www-form-urlencoded",
                form(codeGrant(code)).getBytes(StandardCharsets.UTF_8));
    }

    static String tokenProof(Proofs key) {
        return key.proof("POST", issuer + "/api/v1/oidc/token", server.clock.instant(), null, null);
    }

    static Http.Response push(Map<String, String> request, String proof) {
        Http http = proof == null ? server.http() : server.http().withHeader("DPoP", proof);
        return http.send("POST", PAR, client.basic(), "application/x-www-form-urlencoded",
                form(request).getBytes(StandardCharsets.UTF_8));
    }

    /** Signs in through /openid?request_uri=… and returns the code. */
    static Code codeFromPushed(String requestUri, String verifier, Map<String, String> request) {
        Browser browser = server.browser();
        Browser.Page toLogin = browser.get(url(Map.of("client_id", client.clientId(), "request_uri", requestUri)));
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        Map<String, String> back = Flows.query(Flows.approvedRedirect(server, browser, toLogin.location(), Flows.newPhone()));
        return new Code(back.get("code"), verifier, request, back);
    }

    static void assertCodeUnused(Code code) {
        assertThat(count(server, "auth_codes WHERE used_at IS NULL AND code_hash = '" + Secrets.sha256(code.code()) + "'"))
                .isEqualTo(1);
    }

    @Test
    void codeWhenBoundByDpopJktThenRedeemedOnlyWithAProofOfThatKey() {
        Proofs key = Proofs.es256();
        String verifier = verifier();
        Map<String, String> request = with(request(client, verifier), "dpop_jkt", key.jkt());
        Map<String, String> back = authorize(server, server.browser(), request, Flows.newPhone());
        Code code = new Code(back.get("code"), verifier, request, back);

        assertOAuthError(token(code, null), 400, "invalid_grant");
        assertOAuthError(token(code, tokenProof(Proofs.es256())), 400, "invalid_grant");
        assertCodeUnused(code);
        Http.Response ok = token(code, tokenProof(key));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("token_type").asText()).isEqualTo("DPoP");
    }

    @Test
    void codeWhenPushedWithAProofThenBoundToItsKey() {
        Proofs key = Proofs.es256();
        String verifier = verifier();
        Map<String, String> request = request(client, verifier);
        Http.Response pushed = push(request, key.proof("POST", issuer + PAR, server.clock.instant(), null, null));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        assertThat(pushed.header("DPoP-Nonce")).isNotBlank();
        Code code = codeFromPushed(pushed.json().path("request_uri").asText(), verifier, request);

        assertOAuthError(token(code, tokenProof(Proofs.es256())), 400, "invalid_grant");
        assertCodeUnused(code);
        Http.Response ok = token(code, tokenProof(key));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("token_type").asText()).isEqualTo("DPoP");
    }

    @Test
    void pushWhenProofAndDpopJktDisagreeOrProofIsBadThenRefusedAndNothingStored() {
        Proofs key = Proofs.es256();
        long pushedBefore = count(server, "pushed_requests");
        Http.Response mismatch = push(with(request(client, verifier()), "dpop_jkt", Proofs.es256().jkt()),
                key.proof("POST", issuer + PAR, server.clock.instant(), null, null));
        assertOAuthError(mismatch, 400, "invalid_dpop_proof");
        Http.Response wrongUrl = push(request(client, verifier()),
                key.proof("POST", issuer + "/api/v1/oidc/token", server.clock.instant(), null, null));
        assertOAuthError(wrongUrl, 400, "invalid_dpop_proof");
        assertOAuthError(push(with(request(client, verifier()), "dpop_jkt", "not a thumbprint"), null), 400, "invalid_request");
        assertThat(count(server, "pushed_requests")).isEqualTo(pushedBefore);

        Http.Response agreeing = push(with(request(client, verifier()), "dpop_jkt", key.jkt()),
                key.proof("POST", issuer + PAR, server.clock.instant(), null, null));
        assertThat(agreeing.status()).as(agreeing.body()).isEqualTo(201);
    }
}
