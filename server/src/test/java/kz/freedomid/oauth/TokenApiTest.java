package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.ApiTestSupport.assertPair;
import static kz.freedomid.oauth.ApiTestSupport.assertValidation;
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
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract 3.3: code exchange, {@code POST /api/v1/oauth/token}. Refresh (3.4) is in {@link TokenRefreshApiTest}. */
class TokenApiTest {
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
    void exchangeWhenCodeValidThenReturnsPairWithContractFields() {
        Http.Response response = exchange(partner, code(partner));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertPair(response.json(), server.clock.instant());
        assertThat(userInfoStatus(response.json().get("access_token").asText())).isEqualTo(200);
    }

    @Test
    void exchangeStoresOnlyHashesOfTokensAndCode() {
        String code = code(partner);
        JsonNode pair = exchange(partner, code).json();
        String access = pair.get("access_token").asText();
        String refresh = pair.get("refresh_token").asText();

        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND access_hash <> ? AND refresh_hash <> ?",
                pairId(pair), access, refresh)).isEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE access_hash IN (?, ?) OR refresh_hash IN (?, ?)",
                access, refresh, access, refresh)).isZero();
        assertThat(server.count("SELECT COUNT(*) FROM auth_codes WHERE code_hash = ?", code)).isZero();
    }

    @Test
    void exchangeWhenCodeUsedTwiceThenPairsFromItAreRevoked() {
        String code = code(partner);
        JsonNode first = exchange(partner, code).json();
        assertThat(userInfoStatus(first.get("access_token").asText())).isEqualTo(200);

        assertError(exchange(partner, code), 400, 100101);

        assertThat(userInfoStatus(first.get("access_token").asText())).isEqualTo(401);
        assertError(refresh(first.get("refresh_token").asText()), 401, 100104);
        assertError(exchange(partner, code), 400, 100101);
    }

    @Test
    void exchangeWhenCodeReusedAfterARefreshThenTheRotatedPairIsRevokedToo() {
        String code = code(partner);
        JsonNode first = exchange(partner, code).json();
        JsonNode rotated = refresh(first.get("refresh_token").asText()).json();

        assertError(exchange(partner, code), 400, 100101);

        assertThat(userInfoStatus(rotated.get("access_token").asText())).isEqualTo(401);
        assertError(refresh(rotated.get("refresh_token").asText()), 401, 100104);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id IN (?, ?) AND revoked_at IS NULL",
                pairId(first), pairId(rotated))).isZero();
    }

    @Test
    void exchangeWhenCodeSentConcurrentlyThenOneWinsAndItsPairIsRevokedByTheOthers() throws Exception {
        String code = code(partner);
        List<Http.Response> responses = concurrently(8, () -> exchange(partner, code));

        List<Http.Response> won = responses.stream().filter(r -> r.status() == 200).toList();
        assertThat(won).as(responses.toString()).hasSize(1);
        responses.stream().filter(r -> r.status() != 200).forEach(r -> assertError(r, 400, 100101));
        assertThat(userInfoStatus(won.get(0).json().get("access_token").asText())).isEqualTo(401);
    }

    @Test
    void exchangeWhenCodeOlderThan5MinutesThenRejected() {
        String code = code(partner);
        server.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertError(exchange(partner, code), 400, 100101);
    }

    @Test
    void exchangeWhenCodeJustUnder5MinutesOldThenAccepted() {
        String code = code(partner);
        server.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(exchange(partner, code).status()).isEqualTo(200);
    }

    @Test
    void exchangeWhenCodeIssuedToAnotherPartnerThenRejectedAndOwnerCanStillUseIt() {
        Flows.TestPartner other = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE);
        String code = code(partner);

        assertError(exchange(other, code), 400, 100101);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE client_id = ?", UUID.fromString(other.clientId()))).isZero();
        assertThat(exchange(partner, code).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nope", "128 random characters", "600 characters"})
    void exchangeWhenCodeUnknownThenRejected(String kind) {
        String code = switch (kind) {
            case "128 random characters" -> randomToken();
            case "600 characters" -> "a".repeat(600);
            default -> kind;
        };
        long before = server.count("SELECT COUNT(*) FROM token_pairs");
        assertError(exchange(partner, code), 400, 100101);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs")).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "{\"authorization_code\":\"\"}", "{\"authorization_code\":null}",
            "{\"authorization_code\":5}", "{\"authorization_code\":[\"x\"]}", "{\"code\":\"x\"}"})
    void exchangeWhenAuthorizationCodeMissingThen422(String body) {
        assertValidation(server.http().json("POST", PATH, partner.basic(), body), "authorization_code");
    }

    @Test
    void exchangeWhenRevokeUriInvalidThen422AndCodeIsNotConsumed() {
        String code = code(partner);
        for (Object bad : List.of("http://partner.example/revoke", "ftp://partner.example/revoke", "not a url",
                "/revoke", "https://partner.example/revoke#fragment", "https://user:pw@partner.example/revoke",
                "https:///revoke", "javascript:alert(1)", 42)) {
            Http.Response response = server.http().json("POST", PATH, partner.basic(),
                    Map.of("authorization_code", code, "revoke_uri", bad));
            assertValidation(response, "revoke_uri");
        }
        assertThat(exchange(partner, code).status()).isEqualTo(200);
    }

    @Test
    void exchangeWhenRevokeUriGivenThenStoredOnThePair() {
        for (String uri : List.of("https://partner.example/revoke?x=1", "http://127.0.0.1:9000/revoke",
                "http://localhost:9000/revoke")) {
            Http.Response response = server.http().json("POST", PATH, partner.basic(),
                    Map.of("authorization_code", code(partner), "revoke_uri", uri));
            assertThat(response.status()).as(uri + ": " + response.body()).isEqualTo(200);
            assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoke_uri = ?",
                    pairId(response.json()), uri)).isEqualTo(1);
        }
    }

    @Test
    void exchangeWhenNoRevokeUriThenPartnerDefaultIsStoredAndRequestOverridesIt() {
        String fallback = "https://partner.example/default-revoke";
        var registered = server.app.partners.register(new PartnerService.NewPartner("Default Revoke Shop",
                List.of(partner.redirectUri()), java.util.Set.of(Grant.READ_FIRSTNAME), fallback));
        Flows.TestPartner withDefault = new Flows.TestPartner(registered.partner().clientId().toString(),
                registered.clientSecret(), partner.redirectUri());

        JsonNode plain = exchange(withDefault, code(withDefault)).json();
        JsonNode overridden = server.http().json("POST", PATH, withDefault.basic(),
                Map.of("authorization_code", code(withDefault), "revoke_uri", "https://partner.example/mine")).json();

        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoke_uri = ?", pairId(plain), fallback))
                .isEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoke_uri = ?", pairId(overridden),
                "https://partner.example/mine")).isEqualTo(1);
    }

    @Test
    void exchangeWhenClientCredentialsWrongThen401AndCodeStaysUsable() {
        String code = code(partner);
        Http.Response response = server.http().json("POST", PATH, Http.basic(partner.clientId(), "wrong"),
                Map.of("authorization_code", code));
        assertError(response, 401, 100001);
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
        assertError(server.http().json("POST", PATH, null, Map.of("authorization_code", code)), 401, 100001);
        assertThat(exchange(partner, code).status()).isEqualTo(200);
    }

    @Test
    void exchangeWhenBodyMalformedThen400() {
        assertError(server.http().json("POST", PATH, partner.basic(), "{\"authorization_code\":"), 400, 100008);
        assertError(server.http().json("POST", PATH, partner.basic(), "[\"x\"]"), 400, 100008);
        assertError(server.http().send("POST", PATH, partner.basic(), "text/plain",
                "{\"authorization_code\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 415, 100008);
    }

    private static String code(Flows.TestPartner p) {
        return Flows.codeFrom(server, p, List.of("read.firstname"));
    }

    private static Http.Response exchange(Flows.TestPartner p, String code) {
        return server.http().json("POST", PATH, p.basic(), Map.of("authorization_code", code));
    }

    private static Http.Response refresh(String refreshToken) {
        return server.http().send("PATCH", PATH, Http.bearer(refreshToken), null, null);
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
