package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Userinfo (contract 4.4), introspection (RFC 7662) and revocation (RFC 7009): each partner sees only its own tokens. */
class OidcUserinfoIntrospectRevokeTest {
    static final String ALL_USER_SCOPES = "openid read.firstname read.lastname read.patronymic read.date_of_birth read.gender "
            + "read.country read.nationality read.identifier read.phone read.email";
    static TestServer server;
    static Client client;
    static Client other;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = register(server, Grant.all(), settings(false, Set.of(), "RS256"));
        other = confidential(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A new user signs in for {@code scope}; returns the token response. */
    static JsonNode signIn(String phone, String scope) {
        String verifier = verifier();
        Map<String, String> request = with(request(client, verifier), "scope", scope);
        Map<String, String> back = authorize(server, server.browser(), request, phone);
        return exchange(server, client, new Code(back.get("code"), verifier, request, back));
    }

    static JsonNode signIn() {
        return signIn(Flows.newPhone(), "openid read.firstname read.phone");
    }

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static Http.Response introspect(Client as, String token) {
        return postForm(server, "/api/v1/oidc/introspect", as.basic(), Map.of("token", token));
    }

    static Http.Response revoke(Client as, String token) {
        return postForm(server, "/api/v1/oidc/revoke", as.basic(), Map.of("token", token));
    }

    static void assertInactive(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().toString()).isEqualTo("{\"active\":false}");
    }

    static void assertInvalidToken(Http.Response response) {
        assertOAuthError(response, 401, "invalid_token");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
    }

    @Test
    void userinfoAnswersGetAndPostWithTheTokenInTheHeaderOrTheForm() {
        String access = signIn().get("access_token").asText();
        Http.Response get = userinfo(server, access);
        assertThat(get.status()).as(get.body()).isEqualTo(200);
        assertThat(get.header("Content-Type")).startsWith("application/json");
        assertThat(get.header("Cache-Control")).isEqualTo("no-store");
        Http.Response postHeader = server.http().send("POST", "/api/v1/oidc/userinfo", Http.bearer(access), null, null);
        Http.Response postForm = postForm(server, "/api/v1/oidc/userinfo", null, Map.of("access_token", access));
        assertThat(postHeader.body()).isEqualTo(get.body());
        assertThat(postForm.body()).isEqualTo(get.body());
        assertThat(keys(get.json())).containsExactly("sub", "given_name", "phone_number", "phone_number_verified");
    }

    @Test
    void claimsFollowTheContractsMappingPerConsentedScope() {
        String phone = Flows.newPhone();
        JsonNode tokens = signIn(phone, ALL_USER_SCOPES);
        server.execute("UPDATE users SET patronymic = ?, date_of_birth = ?, gender = 'F', country = 'KAZ', nationality = ?, "
                + "identifier = ?, email = ?, email_verified = TRUE WHERE phone = ?", "Ermekovna", LocalDate.of(1990, 3, 4),
                "Kazakh", "900304400123", phone.substring(1) + "@mail.example", phone);
        JsonNode info = userinfo(server, tokens.get("access_token").asText()).json();
        assertThat(info.get("sub").asText()).isEqualTo(verifyIdToken(server, tokens.get("id_token").asText()).getSubject());
        assertThat(info.get("given_name").asText()).isEqualTo("Dana");
        assertThat(info.get("family_name").asText()).isEqualTo("Serikova");
        assertThat(info.get("middle_name").asText()).isEqualTo("Ermekovna");
        assertThat(info.get("birthdate").asText()).isEqualTo("1990-03-04");
        assertThat(info.get("gender").asText()).isEqualTo("female");
        assertThat(info.get("country").asText()).isEqualTo("KAZ");
        assertThat(info.get("nationality").asText()).isEqualTo("Kazakh");
        assertThat(info.get("identifier").asText()).isEqualTo("900304400123");
        assertThat(info.get("email").asText()).isEqualTo(phone.substring(1) + "@mail.example");
        assertThat(info.get("email_verified").asBoolean()).isTrue();
        assertThat(info.get("phone_number").asText()).isEqualTo(phone);
        assertThat(info.get("phone_number_verified").asBoolean()).isTrue();

        server.execute("UPDATE users SET gender = 'M', email_verified = FALSE WHERE phone = ?", phone);
        JsonNode male = userinfo(server, tokens.get("access_token").asText()).json();
        assertThat(male.get("gender").asText()).isEqualTo("male");
        assertThat(male.get("email_verified").asBoolean()).isFalse();
    }

    @Test
    void absentValuesAndUnconsentedClaimsAreLeftOut() {
        JsonNode all = userinfo(server, signIn(Flows.newPhone(), ALL_USER_SCOPES).get("access_token").asText()).json();
        assertThat(keys(all)).containsExactlyInAnyOrder("sub", "given_name", "family_name", "phone_number", "phone_number_verified");
        all.forEach(value -> assertThat(value.isNull()).isFalse());

        JsonNode narrow = userinfo(server, signIn(Flows.newPhone(), "openid read.lastname").get("access_token").asText()).json();
        assertThat(keys(narrow)).containsExactly("sub", "family_name");
    }

    @Test
    void aPartnerApiTokenWithoutOpenidIsInsufficientScope() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME);
        var tokens = Flows.exchange(server, partner, Flows.codeFrom(server, partner, List.of("read.firstname")));
        Http.Response response = userinfo(server, tokens.accessToken());
        assertOAuthError(response, 403, "insufficient_scope");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"");
    }

    @Test
    void aMissingInvalidOrExpiredTokenIsInvalidToken() {
        assertInvalidToken(server.http().get("/api/v1/oidc/userinfo", null));
        assertInvalidToken(server.http().send("POST", "/api/v1/oidc/userinfo", null, null, null));
        assertInvalidToken(userinfo(server, "x".repeat(128)));
        assertInvalidToken(userinfo(server, "short"));
        assertInvalidToken(server.http().get("/api/v1/oidc/userinfo", "Basic " + "x".repeat(20)));

        JsonNode tokens = signIn();
        server.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertInvalidToken(userinfo(server, tokens.get("access_token").asText()));
        assertInactive(introspect(client, tokens.get("access_token").asText()));
        assertThat(introspect(client, tokens.get("refresh_token").asText()).json().get("active").asBoolean())
                .as("the refresh token lives 30 days").isTrue();
    }

    @Test
    void introspectionDescribesTheClientsOwnLiveTokens() {
        JsonNode tokens = signIn();
        var now = server.clock.instant().getEpochSecond();
        String sub = userinfo(server, tokens.get("access_token").asText()).json().get("sub").asText();
        Http.Response response = introspect(client, tokens.get("access_token").asText());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode access = response.json();
        assertThat(access.get("active").asBoolean()).isTrue();
        assertThat(access.get("scope").asText().split(" ")).containsExactlyInAnyOrder("openid", "read.firstname", "read.phone");
        assertThat(access.get("client_id").asText()).isEqualTo(client.clientId());
        assertThat(access.get("sub").asText()).isEqualTo(sub);
        assertThat(access.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(access.get("iat").asLong()).isEqualTo(now);
        assertThat(access.get("exp").asLong()).isEqualTo(now + Duration.ofDays(7).toSeconds());
        assertThat(access.get("iss").asText()).isEqualTo(server.app.config.issuer());

        JsonNode refresh = introspect(client, tokens.get("refresh_token").asText()).json();
        assertThat(refresh.get("active").asBoolean()).isTrue();
        assertThat(refresh.get("token_type").asText()).isEqualTo("refresh_token");
        assertThat(refresh.get("exp").asLong()).isEqualTo(now + Duration.ofDays(30).toSeconds());

        Http.Response byPost = postForm(server, "/api/v1/oidc/introspect", null, Map.of("token", tokens.get("access_token").asText(),
                "client_id", client.clientId(), "client_secret", client.secret()));
        assertThat(byPost.json().get("active").asBoolean()).isTrue();
    }

    @Test
    void userinfoReleasesTheAdditionalPhonesEmailsAndCardsOfTheirScopes() {
        String phone = Flows.newPhone();
        String access = signIn(phone, "openid read.phones read.emails read.cards").get("access_token").asText();
        var user = server.app.users.findByPhone(phone).orElseThrow();
        String extraPhone = Flows.newPhone();
        server.execute("INSERT INTO user_phones (user_id, slot, phone) VALUES (?, 1, ?)", user.id(), extraPhone);
        server.execute("INSERT INTO user_emails (user_id, slot, email) VALUES (?, 1, ?)", user.id(), "rp-" + user.id() + "@example.kz");
        var card = server.app.cards.attach(user.id(), new kz.freedomid.user.CardService.NewCard("220070****5678", "MIR", "01/31"));

        JsonNode claims = userinfo(server, access).json();

        assertThat(keys(claims)).containsExactlyInAnyOrder("sub", "phones", "emails", "cards");
        assertThat(claims.get("phones").toString()).isEqualTo("[\"" + extraPhone + "\"]");
        assertThat(claims.get("emails").toString()).isEqualTo("[\"rp-" + user.id() + "@example.kz\"]");
        assertThat(claims.get("cards").toString()).isEqualTo("[{\"id\":\"" + card.id()
                + "\",\"masked_pan\":\"220070****5678\",\"brand\":\"MIR\",\"expiry\":\"01/31\"}]");
    }

    @Test
    void introspectionOfAServiceToken() {
        Client service = register(server, GRANTS, settings(false, Set.of("users:write"), "RS256"));
        String token = tokenForm(server, service.basic(), Map.of("grant_type", "client_credentials")).json().get("access_token").asText();
        JsonNode body = introspect(service, token).json();
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("scope").asText()).isEqualTo("users:write");
        assertThat(body.get("sub").asText()).isEqualTo(service.clientId());
        assertInactive(introspect(client, token));
    }

    @Test
    void introspectionHidesOtherClientsAndDeadTokens() {
        JsonNode tokens = signIn();
        assertInactive(introspect(other, tokens.get("access_token").asText()));
        assertInactive(introspect(other, tokens.get("refresh_token").asText()));
        assertInactive(introspect(client, "x".repeat(128)));

        JsonNode rotated = refresh(server, client, tokens.get("refresh_token").asText());
        assertInactive(introspect(client, tokens.get("access_token").asText()));
        assertInactive(introspect(client, tokens.get("refresh_token").asText()));
        assertThat(introspect(client, rotated.get("access_token").asText()).json().get("active").asBoolean()).isTrue();

        assertThat(revoke(client, rotated.get("access_token").asText()).status()).isEqualTo(200);
        assertInactive(introspect(client, rotated.get("access_token").asText()));
        assertInactive(introspect(client, rotated.get("refresh_token").asText()));
    }

    @Test
    void introspectionRequiresClientAuthentication() {
        String access = signIn().get("access_token").asText();
        assertOAuthError(postForm(server, "/api/v1/oidc/introspect", null, Map.of("token", access)), 401, "invalid_client");
        assertOAuthError(postForm(server, "/api/v1/oidc/introspect", Http.basic(client.clientId(), "wrong"), Map.of("token", access)),
                401, "invalid_client");
        assertOAuthError(postForm(server, "/api/v1/oidc/introspect", null, Map.of("token", access, "client_id", client.clientId())),
                401, "invalid_client");
        Client pub = publicClient(server);
        assertOAuthError(postForm(server, "/api/v1/oidc/introspect", null, Map.of("token", access, "client_id", pub.clientId())),
                401, "invalid_client");
        assertOAuthError(postForm(server, "/api/v1/oidc/introspect", client.basic(), Map.of()), 400, "invalid_request");
    }

    @Test
    void revokingTheOwnAccessTokenEndsThePair() {
        JsonNode tokens = signIn();
        Http.Response response = revoke(client, tokens.get("access_token").asText());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertInvalidToken(userinfo(server, tokens.get("access_token").asText()));
        assertOAuthError(tokenForm(server, client.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText())), 400, "invalid_grant");
        assertThat(revoke(client, tokens.get("access_token").asText()).status()).as("again: still 200").isEqualTo(200);
    }

    @Test
    void revokingTheOwnRefreshTokenStopsRefresh() {
        JsonNode tokens = signIn();
        Http.Response response = postForm(server, "/api/v1/oidc/revoke", client.basic(),
                Map.of("token", tokens.get("refresh_token").asText(), "token_type_hint", "refresh_token"));
        assertThat(response.status()).isEqualTo(200);
        assertOAuthError(tokenForm(server, client.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText())), 400, "invalid_grant");
        assertInvalidToken(userinfo(server, tokens.get("access_token").asText()));
    }

    @Test
    void anotherClientsOrAnUnknownTokenIsAcceptedButNothingChanges() {
        JsonNode tokens = signIn();
        assertThat(revoke(other, tokens.get("access_token").asText()).status()).isEqualTo(200);
        assertThat(revoke(other, tokens.get("refresh_token").asText()).status()).isEqualTo(200);
        assertThat(revoke(client, "x".repeat(128)).status()).isEqualTo(200);
        assertThat(revoke(client, "nonsense").status()).isEqualTo(200);
        assertThat(userinfo(server, tokens.get("access_token").asText()).status()).isEqualTo(200);
        assertThat(introspect(client, tokens.get("refresh_token").asText()).json().get("active").asBoolean()).isTrue();

        assertOAuthError(postForm(server, "/api/v1/oidc/revoke", client.basic(), Map.of()), 400, "invalid_request");
        assertOAuthError(postForm(server, "/api/v1/oidc/revoke", null, Map.of("token", tokens.get("access_token").asText())),
                401, "invalid_client");
        assertThat(userinfo(server, tokens.get("access_token").asText()).status()).isEqualTo(200);
    }
}
