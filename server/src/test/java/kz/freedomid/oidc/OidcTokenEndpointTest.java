package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/oidc/token} (contract 4.3): bodies, client authentication, the three grants, and rejections. */
class OidcTokenEndpointTest {
    static final String TOKEN = "[A-Za-z0-9]{128}";
    static TestServer server;
    static Client client;
    static Client other;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = confidential(server);
        other = confidential(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long pairs() {
        return count(server, "token_pairs");
    }

    static void assertTokenResponse(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Pragma")).isEqualTo("no-cache");
        JsonNode body = response.json();
        List<String> keys = iterate(body);
        assertThat(keys).containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "refresh_token", "id_token", "scope");
        assertThat(body.get("access_token").asText()).matches(TOKEN);
        assertThat(body.get("refresh_token").asText()).matches(TOKEN);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(Duration.ofDays(7).toSeconds());
        assertThat(body.get("id_token").asText().split("\\.")).hasSize(3);
        assertThat(body.get("scope").asText().split(" ")).containsExactlyInAnyOrder("openid", "read.firstname", "read.phone");
    }

    static List<String> iterate(JsonNode node) {
        List<String> keys = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void formAndJsonBodiesBothWork() {
        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code(server, client))));
        assertTokenResponse(tokenJson(server, client.basic(), codeGrant(code(server, client))));
        Http.Response charset = server.http().send("POST", "/api/v1/oidc/token", client.basic(),
                "application/json; charset=utf-8", json(codeGrant(code(server, client))).getBytes(StandardCharsets.UTF_8));
        assertTokenResponse(charset);
    }

    @Test
    void clientSecretBasicAndClientSecretPostBothWork() {
        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code(server, client))));
        assertTokenResponse(tokenForm(server, null,
                with(codeGrant(code(server, client)), "client_id", client.clientId(), "client_secret", client.secret())));
        assertTokenResponse(tokenJson(server, null,
                with(codeGrant(code(server, client)), "client_id", client.clientId(), "client_secret", client.secret())));
    }

    @Test
    void badClientAuthenticationIsRejectedAndTheCodeStaysUsable() {
        Code code = code(server, client);
        long before = pairs();
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "client_secret", client.secret())),
                400, "invalid_request");
        Http.Response wrongBasic = tokenForm(server, Http.basic(client.clientId(), "wrong"), codeGrant(code));
        assertOAuthError(wrongBasic, 401, "invalid_client");
        assertThat(wrongBasic.header("WWW-Authenticate")).startsWith("Basic");
        Http.Response wrongPost = tokenForm(server, null,
                with(codeGrant(code), "client_id", client.clientId(), "client_secret", "wrong"));
        assertOAuthError(wrongPost, 401, "invalid_client");
        assertOAuthError(tokenForm(server, null, codeGrant(code)), 401, "invalid_client");
        assertOAuthError(tokenForm(server, null, with(codeGrant(code), "client_id", client.clientId())), 401, "invalid_client");
        assertOAuthError(tokenForm(server, "Basic !!!", codeGrant(code)), 401, "invalid_client");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "client_id", other.clientId())),
                400, "invalid_request");
        assertThat(pairs()).isEqualTo(before);

        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code)));
    }

    @Test
    void missingUnknownOrRepeatedParametersAreStandardErrors() {
        Code code = code(server, client);
        long before = pairs();
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "grant_type", null)), 400, "invalid_request");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "grant_type", "password")),
                400, "unsupported_grant_type");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code", null)), 400, "invalid_request");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "redirect_uri", null)), 400, "invalid_request");
        assertOAuthError(postForm(server, "/api/v1/oidc/token", client.basic(), form(codeGrant(code)) + "&code=" + code.code()),
                400, "invalid_request");
        assertOAuthError(postForm(server, "/api/v1/oidc/token", client.basic(), form(codeGrant(code)) + "&grant_type=refresh_token"),
                400, "invalid_request");
        assertThat(pairs()).isEqualTo(before);
        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code)));
    }

    @Test
    void aWrongOrMissingPkceVerifierIsInvalidGrantAndTheRightOneStillWorks() {
        Code code = code(server, client);
        long before = pairs();
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code_verifier", verifier())), 400, "invalid_grant");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code_verifier", null)), 400, "invalid_grant");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code_verifier", "short")), 400, "invalid_grant");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code_verifier", challenge(code.verifier()))),
                400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code)));
    }

    @Test
    void pkceIsOptionalForAConfidentialClientButAVerifierWithoutAChallengeIsRefused() {
        Map<String, String> request = request(client);
        Map<String, String> back = authorize(server, server.browser(), request, kz.freedomid.testing.Flows.newPhone());
        Code code = new Code(back.get("code"), null, request, back);
        long before = pairs();
        // RFC 9700 §4.8.2: a code_verifier for a code requested without code_challenge is a PKCE downgrade.
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code_verifier", verifier())), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code)));
    }

    @Test
    void aDifferentRedirectUriIsInvalidGrant() {
        Code code = code(server, client);
        long before = pairs();
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "redirect_uri", "https://rp.example/cb")),
                400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code)));
    }

    @Test
    void aCodeUsedTwiceIsInvalidGrantAndRevokesTheFirstTokens() {
        Code code = code(server, client);
        JsonNode first = exchange(server, client, code);
        assertThat(userinfo(server, first.get("access_token").asText()).status()).isEqualTo(200);
        long before = pairs();

        assertOAuthError(tokenForm(server, client.basic(), codeGrant(code)), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
        assertThat(userinfo(server, first.get("access_token").asText()).status()).isEqualTo(401);
        assertOAuthError(tokenForm(server, client.basic(),
                Map.of("grant_type", "refresh_token", "refresh_token", first.get("refresh_token").asText())), 400, "invalid_grant");
    }

    @Test
    void aCodeOfAnotherClientIsInvalidGrantAndStaysWithItsOwner() {
        Code code = code(server, client);
        long before = pairs();
        assertOAuthError(tokenForm(server, other.basic(), codeGrant(code)), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
        assertTokenResponse(tokenForm(server, client.basic(), codeGrant(code)));
    }

    @Test
    void anExpiredOrUnknownCodeIsInvalidGrant() {
        Code code = code(server, client);
        server.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        long before = pairs();
        assertOAuthError(tokenForm(server, client.basic(), codeGrant(code)), 400, "invalid_grant");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code", "x".repeat(128))), 400, "invalid_grant");
        assertOAuthError(tokenForm(server, client.basic(), with(codeGrant(code), "code", "x".repeat(5000))), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
    }

    @Test
    void aPublicClientExchangesWithClientIdAndVerifierButCannotUseClientCredentials() {
        Client pub = publicClient(server);
        assertThat(pub.secret()).isNull();
        Code code = code(server, pub);
        long before = pairs();
        assertOAuthError(tokenForm(server, null, with(codeGrant(code), "client_id", pub.clientId(), "code_verifier", null)),
                400, "invalid_grant");
        assertOAuthError(tokenForm(server, Http.basic(pub.clientId(), ""), codeGrant(code)), 401, "invalid_client");
        assertThat(pairs()).isEqualTo(before);
        assertTokenResponse(tokenForm(server, null, with(codeGrant(code), "client_id", pub.clientId())));

        assertOAuthError(tokenForm(server, null, Map.of("grant_type", "client_credentials", "client_id", pub.clientId())),
                400, "unauthorized_client");
    }

    @Test
    void refreshRotatesAndAnotherClientsRefreshTokenIsInvalidGrant() {
        JsonNode tokens = exchange(server, client, code(server, client));
        String refresh = tokens.get("refresh_token").asText();
        long before = pairs();
        assertOAuthError(tokenForm(server, other.basic(), Map.of("grant_type", "refresh_token", "refresh_token", refresh)),
                400, "invalid_grant");
        assertOAuthError(tokenForm(server, client.basic(), Map.of("grant_type", "refresh_token")), 400, "invalid_request");
        assertThat(pairs()).isEqualTo(before);
        assertThat(userinfo(server, tokens.get("access_token").asText()).status()).isEqualTo(200);

        Http.Response refreshed = tokenJson(server, client.basic(), Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertTokenResponse(refreshed);
        JsonNode second = refreshed.json();
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(refresh);
        assertThat(userinfo(server, tokens.get("access_token").asText()).status()).as("rotated pair dies").isEqualTo(401);

        assertOAuthError(tokenForm(server, client.basic(), Map.of("grant_type", "refresh_token", "refresh_token", refresh)),
                400, "invalid_grant");
        assertThat(userinfo(server, second.get("access_token").asText()).status()).as("reuse revokes the grant").isEqualTo(401);
    }

    @Test
    void anExpiredRefreshTokenIsInvalidGrant() {
        JsonNode tokens = exchange(server, client, code(server, client));
        server.clock.advance(Duration.ofDays(30).plusSeconds(1));
        long before = pairs();
        assertOAuthError(tokenForm(server, client.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText())), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(before);
    }

    @Test
    void clientCredentialsGivesAServiceTokenWithThePartnersPermissions() {
        Client service = register(server, GRANTS, settings(false, Set.of("users:write"), "RS256"));
        Http.Response response = tokenForm(server, service.basic(), Map.of("grant_type", "client_credentials"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = response.json();
        assertThat(iterate(body)).containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "scope");
        assertThat(body.get("scope").asText()).isEqualTo("users:write");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        Http.Response info = userinfo(server, body.get("access_token").asText());
        assertOAuthError(info, 401, "invalid_token");
        assertThat(info.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");

        Http.Response scoped = tokenJson(server, null, Map.of("grant_type", "client_credentials", "scope", "users:write",
                "client_id", service.clientId(), "client_secret", service.secret()));
        assertThat(scoped.json().get("scope").asText()).isEqualTo("users:write");

        long before = pairs();
        assertOAuthError(tokenForm(server, service.basic(), Map.of("grant_type", "client_credentials", "scope", "users:write users:delete")),
                400, "invalid_scope");
        assertOAuthError(tokenForm(server, client.basic(), Map.of("grant_type", "client_credentials", "scope", "users:write")),
                400, "invalid_scope");
        assertThat(pairs()).isEqualTo(before);
    }

    @Test
    void malformedBodiesAreInvalidRequestNeverA500() {
        long before = pairs();
        String big = "x".repeat(65 * 1024);
        assertOAuthError(postForm(server, "/api/v1/oidc/token", client.basic(), "grant_type=client_credentials&pad=" + big),
                400, "invalid_request");
        assertOAuthError(tokenJson(server, client.basic(), Map.of("grant_type", "client_credentials", "pad", big)),
                400, "invalid_request");
        assertOAuthError(server.http().send("POST", "/api/v1/oidc/token", client.basic(), "text/plain",
                "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request");
        assertOAuthError(server.http().send("POST", "/api/v1/oidc/token", client.basic(), null, null), 400, "invalid_request");
        assertOAuthError(server.http().json("POST", "/api/v1/oidc/token", client.basic(), "{\"grant_type\":"), 400, "invalid_request");
        assertOAuthError(server.http().json("POST", "/api/v1/oidc/token", client.basic(), "[\"client_credentials\"]"),
                400, "invalid_request");
        assertOAuthError(server.http().json("POST", "/api/v1/oidc/token", client.basic(), "{\"grant_type\":{\"a\":1}}"),
                400, "invalid_request");
        assertOAuthError(postForm(server, "/api/v1/oidc/token", client.basic(), "grant_type=%zz"), 400, "invalid_request");
        assertThat(pairs()).isEqualTo(before);
    }

    @Test
    void theIdTokenCarriesTheContractsClaims() throws Exception {
        Code code = code(server, client);
        Http.Response response = tokenForm(server, client.basic(), codeGrant(code));
        assertTokenResponse(response);
        JsonNode tokens = response.json();
        var claims = verifyIdToken(server, tokens.get("id_token").asText());
        String sub = userinfo(server, tokens.get("access_token").asText()).json().get("sub").asText();

        assertThat(claims.getIssuer()).isEqualTo(server.app.config.issuer());
        assertThat(claims.getSubject()).isEqualTo(sub);
        assertThat(claims.getAudience()).containsExactly(client.clientId());
        long iat = claims.getIssueTime().toInstant().getEpochSecond();
        assertThat(iat).isEqualTo(server.clock.instant().getEpochSecond());
        assertThat(claims.getExpirationTime().toInstant().getEpochSecond() - iat).isEqualTo(3600);
        assertThat(claims.getLongClaim("auth_time")).isBetween(iat - 60, iat);
        assertThat(claims.getStringClaim("nonce")).isEqualTo(code.request().get("nonce"));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(tokens.get("access_token").asText().getBytes(StandardCharsets.US_ASCII));
        assertThat(claims.getStringClaim("at_hash"))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)));
        assertThat(claims.getStringClaim("sid")).matches("[0-9a-f-]{36}");
        assertThat(claims.getStringListClaim("amr")).containsExactly("sms");
    }
}
