package kz.freedomid.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;

/** Partners with profile keys, tokens of fresh users, and the two profile endpoints. */
final class ProfileTestSupport {
    static final List<String> PROFILE_GRANTS = List.of("read.firstname", "read.phone", "read.profile");

    /** A user's access token for a partner, and the user's freedom_id. */
    record UserToken(String accessToken, String freedomId) {}

    private ProfileTestSupport() {}

    static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.ENCRYPTION).algorithm(JWEAlgorithm.RSA_OAEP_256)
                    .keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).algorithm(JWEAlgorithm.ECDH_ES_A256KW)
                    .keyID("ec-" + UUID.randomUUID()).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A partner allowed every grant, with {@code publicJwk} (JSON, may be null) as its profile key. */
    static Flows.TestPartner partner(TestServer server, String publicJwk) {
        String redirectUri = "https://partner.example/callback";
        var settings = new ClientSettings(false, List.of(), null, Set.of(), "RS256", publicJwk);
        var registered = server.app.partners.register(
                new PartnerService.NewPartner("Profile Shop", List.of(redirectUri), Grant.all(), null, settings));
        return new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(), redirectUri);
    }

    static Flows.TestPartner partnerWithRsaKey(TestServer server) {
        return partner(server, rsaKey().toPublicJWK().toJSONString());
    }

    /** A new user signs in at the partner with {@code grants}; returns the access token and the user's id. */
    static UserToken userToken(TestServer server, Flows.TestPartner partner, List<String> grants) {
        String access = Flows.exchange(server, partner, Flows.codeFrom(server, partner, grants)).accessToken();
        Http.Response me = server.http().get("/api/v1/oauth/user", Http.bearer(access));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        return new UserToken(access, me.json().get("id").asText());
    }

    static Http.Response post(TestServer server, String accessToken, Object body) {
        return server.http().json("POST", "/api/v1/oauth/get-profile", Http.bearer(accessToken), body);
    }

    static JsonNode postOk(TestServer server, String accessToken, String requestId) {
        Http.Response response = post(server, accessToken, Map.of("request_id", requestId));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    static Http.Response statusByQuery(TestServer server, String accessToken, String requestId) {
        return server.http().get("/api/v1/oauth/get-profile/status?request_id=" + requestId, Http.bearer(accessToken));
    }

    static Http.Response statusByBody(TestServer server, String accessToken, String requestId) {
        Map<String, Object> body = new HashMap<>();
        body.put("request_id", requestId);
        return server.http().json("GET", "/api/v1/oauth/get-profile/status", Http.bearer(accessToken), body);
    }

    static JsonNode status(TestServer server, String accessToken, String requestId) {
        Http.Response response = statusByQuery(server, accessToken, requestId);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Polls the status endpoint (bounded: 20 s) until the request is no longer pending. */
    static JsonNode awaitFinished(TestServer server, String accessToken, String requestId) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status(server, accessToken, requestId);
            if (!"pending".equals(last.get("status").asText())) return last;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("still pending after 20 s: " + last);
    }

    static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    static Map<String, String> fastJobs() {
        return Map.of("FREEDOM_ID_JOB_POLL_MS", "100");
    }
}
