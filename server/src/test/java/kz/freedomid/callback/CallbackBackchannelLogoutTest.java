package kz.freedomid.callback;

import static kz.freedomid.callback.CallbackTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OIDC Back-Channel Logout 1.0: one signed logout token per partner per ended session, beside the revoke callbacks. */
class CallbackBackchannelLogoutTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyPartnerOfTheSessionGetsOneLogoutTokenAndEveryPairItsCallback() throws Exception {
        try (Receiver a = new Receiver(n -> 200); Receiver b = new Receiver(n -> 200)) {
            Client clientA = register(server, a.url("/revoke"), a.url("/bcl"));
            Client clientB = register(server, null, b.url("/bcl"));
            SignedIn first = signIn(server, server.browser(), clientA);
            SignedIn second = signInAgain(server, first.browser(), clientA);
            SignedIn third = signInAgain(server, first.browser(), clientB);
            assertThat(second.sessionId()).isEqualTo(first.sessionId());
            assertThat(third.sessionId()).isEqualTo(first.sessionId());
            logout(third);

            await(server.clock, "two callbacks and a logout token at A", 10, () -> a.count() >= 3);
            await(server.clock, "a logout token at B", 10, () -> b.count() == 1);
            await(server.clock, "jobs done", 10, () -> queued(server, "backchannel-logout") + queued(server, "revoke-callback") == 0);
            Thread.sleep(300);
            assertThat(a.requests).as(() -> a.requests.stream().map(r -> r.path() + " " + r.text()).toList().toString())
                    .hasSize(3);
            assertThat(b.count()).isEqualTo(1);

            Set<String> callbacks = a.requests.stream().filter(r -> r.path().equals("/revoke")).map(Received::text)
                    .collect(Collectors.toSet());
            assertThat(callbacks).containsExactlyInAnyOrder("{\"id\":\"" + first.pairId() + "\"}",
                    "{\"id\":\"" + second.pairId() + "\"}");
            Received toA = a.requests.stream().filter(r -> r.path().equals("/bcl")).findFirst().orElseThrow();
            assertLogoutToken(toA, clientA, first);
            assertLogoutToken(b.requests.get(0), clientB, first);
        }
    }

    @Test
    void discoveryAdvertisesBackchannelLogoutWithSessions() {
        JsonNode d = server.http().get("/.well-known/openid-configuration", null).json();
        assertThat(d.get("backchannel_logout_supported").asBoolean()).isTrue();
        assertThat(d.get("backchannel_logout_session_supported").asBoolean()).isTrue();
    }

    private static void assertLogoutToken(Received request, Client client, SignedIn session) throws Exception {
        assertThat(request.path()).isEqualTo("/bcl");
        assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        String body = request.text();
        assertThat(body).startsWith("logout_token=").doesNotContain("&");
        SignedJWT jwt = SignedJWT.parse(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("logout+jwt");
        JWK key = jwks(server).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid published").isNotNull();
        assertThat(jwt.verify(verifier(key))).as("signature").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(server.app.config.issuer());
        assertThat(claims.getAudience()).containsExactly(client.clientId());
        assertThat(claims.getStringClaim("sid")).isEqualTo(session.sessionId().toString());
        assertThat(claims.getSubject()).isNotBlank();
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime()).isNotNull();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        assertThat(claims.getJSONObjectClaim("events")).containsOnlyKeys("http://schemas.openid.net/event/backchannel-logout");
        assertThat((Map<?, ?>) claims.getJSONObjectClaim("events").get("http://schemas.openid.net/event/backchannel-logout"))
                .isEmpty();
        assertThat(claims.getClaims()).doesNotContainKey("nonce");
    }
}
