package kz.freedomid.attacks;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oidc.OidcTestSupport.assertOAuthError;
import static kz.freedomid.oidc.OidcTestSupport.codeGrant;
import static kz.freedomid.oidc.OidcTestSupport.postForm;
import static kz.freedomid.oidc.OidcTestSupport.tokenForm;
import static kz.freedomid.oidc.OidcTestSupport.userinfo;
import static kz.freedomid.oidc.OidcTestSupport.verifier;
import static kz.freedomid.oidc.OidcTestSupport.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.oidc.OidcTestSupport.Client;
import kz.freedomid.oidc.OidcTestSupport.Code;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9700 §4.5 (code injection), §4.8 (PKCE downgrade), §4.4 (mix-up, RFC 9207), §4.14 (refresh-token replay),
 * RFC 6749 §4.1.2 (code replay), RFC 7009/7662 (token substitution across partners), against the partner API
 * (contract 3.3, 3.4) and the OIDC endpoints (contract 4).
 */
class TokenAttackTest {
    static TestServer server;
    static Flows.TestPartner partnerA;
    static Flows.TestPartner partnerB;
    static Client clientA;
    static Client clientB;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partnerA = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE);
        partnerB = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE);
        clientA = OidcTestSupport.confidential(server);
        clientB = OidcTestSupport.confidential(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long pairs() {
        return server.count("SELECT COUNT(*) FROM token_pairs");
    }

    private static Http.Response partnerExchange(Flows.TestPartner as, String code) {
        return server.http().json("POST", "/api/v1/oauth/token", as.basic(), Map.of("authorization_code", code));
    }

    private static Http.Response partnerUser(String accessToken) {
        return server.http().get("/api/v1/oauth/user", Http.bearer(accessToken));
    }

    // --- Authorization-code injection (RFC 9700 §4.5) ---

    @Test
    void partnerTokenWhenCodeOfAnotherPartnerThenInvalidCodeAndNoPair() {
        String code = Flows.codeFrom(server, partnerA, List.of("read.firstname"));
        long before = pairs();
        assertError(partnerExchange(partnerB, code), 400, 100101);
        assertThat(pairs()).isEqualTo(before);
    }

    @Test
    void oidcTokenWhenCodeOfAnotherClientThenInvalidGrantAndNoPair() {
        Code code = OidcTestSupport.code(server, clientA);
        long before = pairs();
        assertOAuthError(tokenForm(server, clientB.basic(), codeGrant(code)), 400, "invalid_grant");
        assertOAuthError(tokenForm(server, null, with(codeGrant(code), "client_id", clientB.clientId(),
                "client_secret", clientB.secret())), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
    }

    // --- Code replay (RFC 6749 §4.1.2, RFC 9700 §4.5) ---

    @Test
    void partnerTokenWhenCodeReplayedThenRefusedAndFirstPairRevoked() {
        String code = Flows.codeFrom(server, partnerA, List.of("read.firstname"));
        Flows.Tokens first = Flows.exchange(server, partnerA, code);
        assertThat(partnerUser(first.accessToken()).status()).isEqualTo(200);

        assertError(partnerExchange(partnerA, code), 400, 100101);

        assertError(partnerUser(first.accessToken()), 401, 100002);
        assertError(server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(first.refreshToken()), null, null), 401, 100104);
    }

    @Test
    void oidcTokenWhenCodeReplayedThenInvalidGrantAndFirstTokensRevoked() {
        Code code = OidcTestSupport.code(server, clientA);
        JsonNode first = OidcTestSupport.exchange(server, clientA, code);
        assertThat(userinfo(server, first.get("access_token").asText()).status()).isEqualTo(200);

        assertOAuthError(tokenForm(server, clientA.basic(), codeGrant(code)), 400, "invalid_grant");

        assertOAuthError(userinfo(server, first.get("access_token").asText()), 401, "invalid_token");
        assertOAuthError(tokenForm(server, clientA.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token").asText())), 400, "invalid_grant");
    }

    // --- PKCE downgrade (RFC 9700 §4.8, RFC 7636 §4.6) ---

    static Stream<Arguments> pkceDowngrades() {
        return Stream.of(
                Arguments.of("verifier left out", (Function<Code, Map<String, String>>) c -> with(codeGrant(c), "code_verifier", null)),
                Arguments.of("empty verifier", (Function<Code, Map<String, String>>) c -> with(codeGrant(c), "code_verifier", "")),
                Arguments.of("another valid-looking verifier", (Function<Code, Map<String, String>>) c -> with(codeGrant(c), "code_verifier", verifier())),
                Arguments.of("the challenge sent as verifier (plain downgrade)", (Function<Code, Map<String, String>>) c ->
                        with(codeGrant(c), "code_verifier", c.request().get("code_challenge"))),
                Arguments.of("verifier in another case", (Function<Code, Map<String, String>>) c ->
                        with(codeGrant(c), "code_verifier", c.verifier().toUpperCase())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pkceDowngrades")
    void oidcTokenWhenS256CodeExchangedWithoutTheRightVerifierThenInvalidGrant(String name, Function<Code, Map<String, String>> params) {
        Code code = OidcTestSupport.code(server, clientA);
        long before = pairs();
        assertOAuthError(tokenForm(server, clientA.basic(), params.apply(code)), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
    }

    @Test
    void discoveryWhenReadThenOnlyS256AndIssInAuthorizationResponse() {
        JsonNode discovery = server.http().get("/.well-known/openid-configuration", null).json();
        assertThat(discovery.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(discovery.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
    }

    @Test
    void openidWhenPlainMethodRequestedThenInvalidRequestAndNoTrack() {
        long tracks = server.count("SELECT COUNT(*) FROM login_tracks");
        var request = with(OidcTestSupport.request(clientA), "code_challenge", verifier(), "code_challenge_method", "plain");
        var page = server.browser().get(OidcTestSupport.url(request));
        OidcTestSupport.assertErrorRedirect(server, page, clientA, "invalid_request", request.get("state"));
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks")).isEqualTo(tracks);
    }

    // --- Mix-up (RFC 9700 §4.4, RFC 9207) ---

    @Test
    void openidWhenCodeIssuedThenResponseCarriesOurIss() {
        Code code = OidcTestSupport.code(server, clientA);
        String issuer = server.http().get("/.well-known/openid-configuration", null).json().get("issuer").asText();
        assertThat(code.response().get("iss")).isEqualTo(issuer).isEqualTo(server.app.config.issuer());
        assertThat(code.response().get("state")).isEqualTo(code.request().get("state"));
    }

    // --- Refresh-token replay (RFC 9700 §4.14.2) ---

    @Test
    void partnerRefreshWhenRotatedTokenReplayedThenGrantRevoked() {
        Flows.Tokens first = Flows.exchange(server, partnerA, Flows.codeFrom(server, partnerA, List.of("read.firstname")));
        Http.Response rotated = server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(first.refreshToken()), null, null);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String newAccess = rotated.json().get("access_token").asText();
        String newRefresh = rotated.json().get("refresh_token").asText();

        assertError(server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(first.refreshToken()), null, null), 401, 100105);

        assertError(partnerUser(newAccess), 401, 100002);
        assertError(server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(newRefresh), null, null), 401, 100104);
    }

    @Test
    void oidcRefreshWhenRotatedTokenReplayedThenGrantRevoked() {
        JsonNode first = OidcTestSupport.exchange(server, clientA, OidcTestSupport.code(server, clientA));
        JsonNode rotated = OidcTestSupport.refresh(server, clientA, first.get("refresh_token").asText());

        assertOAuthError(tokenForm(server, clientA.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token").asText())), 400, "invalid_grant");

        assertOAuthError(userinfo(server, rotated.get("access_token").asText()), 401, "invalid_token");
        assertOAuthError(tokenForm(server, clientA.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", rotated.get("refresh_token").asText())), 400, "invalid_grant");
    }

    @Test
    void oidcRefreshWhenTokenOfAnotherClientThenInvalidGrantAndStillValidForOwner() {
        JsonNode tokens = OidcTestSupport.exchange(server, clientA, OidcTestSupport.code(server, clientA));
        long before = pairs();
        assertOAuthError(tokenForm(server, clientB.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText())), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
        assertThat(userinfo(server, tokens.get("access_token").asText()).status()).isEqualTo(200);
    }

    // --- Token substitution across partners (RFC 7662 §4, RFC 7009 §2.1) ---

    @Test
    void introspectWhenTokenOfAnotherClientThenInactive() {
        JsonNode tokens = OidcTestSupport.exchange(server, clientA, OidcTestSupport.code(server, clientA));
        for (String token : List.of(tokens.get("access_token").asText(), tokens.get("refresh_token").asText())) {
            Http.Response response = postForm(server, "/api/v1/oidc/introspect", clientB.basic(), Map.of("token", token));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().toString()).isEqualTo("{\"active\":false}");
        }
        Http.Response own = postForm(server, "/api/v1/oidc/introspect", clientA.basic(), Map.of("token", tokens.get("access_token").asText()));
        assertThat(own.json().get("active").asBoolean()).isTrue();
    }

    @Test
    void revokeWhenTokenOfAnotherClientThenNoEffect() {
        JsonNode tokens = OidcTestSupport.exchange(server, clientA, OidcTestSupport.code(server, clientA));
        String revokedBefore = "SELECT COUNT(*) FROM token_pairs WHERE revoked_at IS NOT NULL";
        long revoked = server.count(revokedBefore);
        for (String token : List.of(tokens.get("access_token").asText(), tokens.get("refresh_token").asText())) {
            Http.Response response = postForm(server, "/api/v1/oidc/revoke", clientB.basic(), Map.of("token", token));
            assertThat(response.status()).as(response.body()).isIn(200, 400);
        }
        assertThat(server.count(revokedBefore)).isEqualTo(revoked);
        assertThat(userinfo(server, tokens.get("access_token").asText()).status()).isEqualTo(200);
        OidcTestSupport.refresh(server, clientA, tokens.get("refresh_token").asText());
    }

    @Test
    void userinfoWhenTokenOfNarrowGrantThenOnlyThatTokensClaims() {
        Code code = OidcTestSupport.code(server, clientA);
        JsonNode narrowTokens;
        {
            String verifier = verifier();
            var request = with(OidcTestSupport.request(clientB, verifier), "scope", "openid read.firstname");
            var response = OidcTestSupport.authorize(server, server.browser(), request, Flows.newPhone());
            narrowTokens = OidcTestSupport.exchange(server, clientB,
                    new Code(response.get("code"), verifier, request, response));
        }
        JsonNode wide = userinfo(server, OidcTestSupport.exchange(server, clientA, code).get("access_token").asText()).json();
        JsonNode narrow = userinfo(server, narrowTokens.get("access_token").asText()).json();
        assertThat(wide.has("phone_number")).isTrue();
        assertThat(narrow.has("given_name")).isTrue();
        assertThat(narrow.has("phone_number")).as(narrow.toString()).isFalse();
        assertThat(narrow.has("family_name")).as(narrow.toString()).isFalse();
        assertThat(narrow.get("sub").asText()).isNotEqualTo(wide.get("sub").asText());
    }
}
