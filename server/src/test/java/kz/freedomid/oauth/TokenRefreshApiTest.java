package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.ApiTestSupport.assertPair;
import static kz.freedomid.oauth.ApiTestSupport.concurrently;
import static kz.freedomid.oauth.ApiTestSupport.randomToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract 3.4: refresh with rotation and reuse detection, {@code PATCH /api/v1/oauth/token}. */
class TokenRefreshApiTest {
    private static final String PATH = "/api/v1/oauth/token";

    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refreshThenNewPairForTheSameUserAndOldTokensStopWorkingAtOnce() {
        JsonNode old = pair();
        String freedomId = userInfo(old.get("access_token").asText()).get("id").asText();
        server.clock.advance(Duration.ofMinutes(1));

        Http.Response response = refresh(old.get("refresh_token").asText());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode fresh = response.json();
        assertPair(fresh, server.clock.instant());
        assertThat(fresh.get("id").asText()).isNotEqualTo(old.get("id").asText());
        assertThat(fresh.get("access_token").asText()).isNotEqualTo(old.get("access_token").asText());
        assertThat(fresh.get("refresh_token").asText()).isNotEqualTo(old.get("refresh_token").asText());
        assertThat(userInfoStatus(old.get("access_token").asText())).isEqualTo(401);
        assertThat(userInfo(fresh.get("access_token").asText()).get("id").asText()).isEqualTo(freedomId);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoked_at IS NOT NULL", pairId(old)))
                .isEqualTo(1);
    }

    @Test
    void refreshWhenRotatedTokenPresentedAgainThenWholeGrantIsRevoked() {
        JsonNode first = pair();
        JsonNode second = refresh(first.get("refresh_token").asText()).json();

        Http.Response reuse = refresh(first.get("refresh_token").asText());

        assertError(reuse, 401, 100105);
        assertThat(reuse.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(userInfoStatus(second.get("access_token").asText())).isEqualTo(401);
        assertError(refresh(second.get("refresh_token").asText()), 401, 100104);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id IN (?, ?) AND revoked_at IS NULL",
                pairId(first), pairId(second))).isZero();
    }

    @Test
    void refreshWhenRefreshTokenExpiredThen100104() {
        JsonNode early = pair();
        JsonNode late = pair();
        server.clock.advance(Duration.ofDays(30).minusSeconds(1));
        assertThat(refresh(early.get("refresh_token").asText()).status()).isEqualTo(200);

        server.clock.advance(Duration.ofSeconds(2));
        assertError(refresh(late.get("refresh_token").asText()), 401, 100104);
    }

    @Test
    void refreshExpirySlidesAndWorksAfterTheAccessTokenExpired() {
        JsonNode first = pair();
        server.clock.advance(Duration.ofDays(20));
        assertThat(userInfoStatus(first.get("access_token").asText())).isEqualTo(401);

        JsonNode second = refresh(first.get("refresh_token").asText()).json();
        assertPair(second, server.clock.instant());

        server.clock.advance(Duration.ofDays(29)); // 49 days after the code: only a sliding expiry allows this
        Http.Response third = refresh(second.get("refresh_token").asText());
        assertThat(third.status()).as(third.body()).isEqualTo(200);
        assertPair(third.json(), server.clock.instant());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing", "empty Bearer", "short", "unknown 128", "access token", "Basic credentials"})
    void refreshWhenTokenUnknownOrMissingThen100104(String kind) {
        JsonNode pair = pair();
        String authorization = switch (kind) {
            case "missing" -> null;
            case "empty Bearer" -> "Bearer ";
            case "short" -> Http.bearer("abc");
            case "unknown 128" -> Http.bearer(randomToken());
            case "access token" -> Http.bearer(pair.get("access_token").asText());
            case "Basic credentials" -> partner.basic();
            default -> throw new IllegalArgumentException(kind);
        };
        Http.Response response = server.http().send("PATCH", PATH, authorization, null, null);
        assertError(response, 401, 100104);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(userInfoStatus(pair.get("access_token").asText())).isEqualTo(200);
    }

    @Test
    void refreshWhenSentConcurrentlyThenOneWinsAndTheGrantIsRevoked() throws Exception {
        String refreshToken = pair().get("refresh_token").asText();
        List<Http.Response> responses = concurrently(8, () -> refresh(refreshToken));

        List<Http.Response> won = responses.stream().filter(r -> r.status() == 200).toList();
        assertThat(won).as(responses.toString()).hasSize(1);
        responses.stream().filter(r -> r.status() != 200).forEach(r -> assertError(r, 401, 100105));
        assertThat(userInfoStatus(won.get(0).json().get("access_token").asText())).isEqualTo(401);
    }

    @Test
    void refreshWhenBodySentThen400AndTokenStaysUsable() {
        String refreshToken = pair().get("refresh_token").asText();
        for (String body : List.of("{}", "{\"refresh_token\":\"" + refreshToken + "\"}", "x")) {
            assertError(server.http().send("PATCH", PATH, Http.bearer(refreshToken), "application/json",
                    body.getBytes(StandardCharsets.UTF_8)), 400, 100008);
        }
        assertThat(refresh(refreshToken).status()).isEqualTo(200);
    }

    /** A fresh pair for a new user, from the code exchange of 3.3. */
    private static JsonNode pair() {
        String code = Flows.codeFrom(server, partner, List.of("read.firstname"));
        Http.Response response = server.http().json("POST", PATH, partner.basic(), Map.of("authorization_code", code));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static Http.Response refresh(String refreshToken) {
        return server.http().send("PATCH", PATH, Http.bearer(refreshToken), null, null);
    }

    private static JsonNode userInfo(String accessToken) {
        Http.Response response = server.http().get("/api/v1/oauth/user", Http.bearer(accessToken));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static int userInfoStatus(String accessToken) {
        Http.Response response = server.http().get("/api/v1/oauth/user", Http.bearer(accessToken));
        if (response.status() == 401) assertError(response, 401, 100002);
        return response.status();
    }

    private static UUID pairId(JsonNode pair) {
        return UUID.fromString(pair.get("id").asText());
    }
}
