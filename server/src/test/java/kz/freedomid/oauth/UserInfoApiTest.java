package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.ApiTestSupport.randomToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract 3.5 and the grant table of section 1: {@code GET /api/v1/oauth/user}. */
class UserInfoApiTest {
    private static final String PATH = "/api/v1/oauth/user";
    private static final List<String> ALL_GRANTS = Grant.all().stream().map(Grant::wireName).toList();
    private static final List<String> FIELDS = List.of("firstname", "lastname", "patronymic", "date_of_birth", "gender",
            "country", "nationality", "identifier", "phone", "phones", "email", "emails", "cards");

    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server); // every grant allowed
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void userInfoWhenEveryGrantConsentedThenIdAndEveryFieldOfTheGrantTable() {
        User user = Flows.user(server, null);
        fillProfile(user);

        Http.Response response = server.http().get(PATH, Http.bearer(accessToken(user, ALL_GRANTS)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode info = response.json();
        assertThat(keys(info)).containsExactlyInAnyOrderElementsOf(withId(FIELDS));
        assertThat(info.get("id").asText()).isEqualTo(user.id().toString());
        assertThat(info.get("firstname").asText()).isEqualTo("Aigerim");
        assertThat(info.get("lastname").asText()).isEqualTo("Nurlanova");
        assertThat(info.get("patronymic").asText()).isEqualTo("Serikovna");
        assertThat(info.get("date_of_birth").asText()).isEqualTo("1990-05-07");
        assertThat(info.get("gender").asText()).isEqualTo("F");
        assertThat(info.get("country").asText()).isEqualTo("KAZ");
        assertThat(info.get("nationality").asText()).isEqualTo("Kazakh");
        assertThat(info.get("identifier").asText()).isEqualTo("900507400123");
        assertThat(info.get("phone").asText()).isEqualTo(user.phone()).matches("\\+\\d{10,15}");
        assertThat(info.get("email").asText()).isEqualTo(user.id() + "@mail.example");
        for (String list : List.of("phones", "emails", "cards")) {
            assertThat(info.get(list).isArray()).as(list + " in " + response.body()).isTrue();
        }
    }

    @Test
    void userInfoWhenSomeGrantsConsentedThenOthersAreAbsent() {
        User user = Flows.user(server, null);
        fillProfile(user);

        JsonNode info = read(accessToken(user, List.of("read.firstname", "read.email", "read.cards")));

        assertThat(keys(info)).containsExactlyInAnyOrder("id", "firstname", "email", "cards");
        assertThat(info.get("firstname").asText()).isEqualTo("Aigerim");
    }

    @Test
    void userInfoWhenOnlyNonFieldGrantsConsentedThenJustTheId() {
        User user = Flows.user(server, null);
        JsonNode info = read(accessToken(user, List.of("read.profile", "openid")));
        assertThat(keys(info)).containsExactly("id");
        assertThat(info.get("id").asText()).isEqualTo(user.id().toString());
    }

    @Test
    void userInfoWhenGrantedFieldHasNoValueThenItIsNull() {
        User user = Flows.user(server, null); // phone, first and last name only

        JsonNode info = read(accessToken(user, ALL_GRANTS));

        assertThat(keys(info)).containsExactlyInAnyOrderElementsOf(withId(FIELDS));
        for (String field : List.of("patronymic", "date_of_birth", "gender", "country", "nationality", "identifier", "email")) {
            assertThat(info.get(field).isNull()).as(field + " in " + info).isTrue();
        }
        assertThat(info.get("firstname").asText()).isEqualTo("Aigerim");
    }

    @Test
    void userInfoReflectsTheUsersCurrentData() {
        User user = Flows.user(server, null);
        fillProfile(user);
        String token = accessToken(user, List.of("read.firstname", "read.email", "read.country"));
        assertThat(read(token).get("firstname").asText()).isEqualTo("Aigerim");

        server.execute("UPDATE users SET firstname = ?, email = NULL WHERE id = ?", "Aruzhan", user.id());

        JsonNode info = read(token);
        assertThat(info.get("firstname").asText()).isEqualTo("Aruzhan");
        assertThat(info.get("email").isNull()).isTrue();
        assertThat(info.get("country").asText()).isEqualTo("KAZ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing", "empty Bearer", "garbage", "unknown 128", "refresh token", "Basic credentials",
            "lower-case scheme with garbage"})
    void userInfoWhenTokenMissingOrInvalidThen401(String kind) {
        String authorization = switch (kind) {
            case "missing" -> null;
            case "empty Bearer" -> "Bearer ";
            case "garbage" -> Http.bearer("not-a-token");
            case "unknown 128" -> Http.bearer(randomToken());
            case "refresh token" -> Http.bearer(pair(Flows.user(server, null), List.of("read.firstname"))
                    .get("refresh_token").asText());
            case "Basic credentials" -> partner.basic();
            case "lower-case scheme with garbage" -> "bearer " + randomToken();
            default -> throw new IllegalArgumentException(kind);
        };
        Http.Response response = server.http().get(PATH, authorization);

        assertError(response, 401, 100002);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void userInfoWhenAServiceTokenThen403() {
        Http.Response issued = server.http().send("POST", "/api/v1/oidc/token", partner.basic(),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);

        assertError(server.http().get(PATH, Http.bearer(issued.json().get("access_token").asText())), 403, 100003);
    }

    @Test
    void userInfoWhenAccessTokenIsSevenDaysOldThen401() {
        String token = accessToken(Flows.user(server, null), List.of("read.firstname"));
        server.clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(server.http().get(PATH, Http.bearer(token)).status()).isEqualTo(200);

        server.clock.advance(Duration.ofSeconds(1));

        assertError(server.http().get(PATH, Http.bearer(token)), 401, 100002);
    }

    @Test
    void userInfoWhenRequestHasBodyThen400() {
        String token = accessToken(Flows.user(server, null), List.of("read.firstname"));
        Http.Response response = server.http().send("GET", PATH, Http.bearer(token), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertError(response, 400, 100008);
    }

    /** Gives the user a value for every field the users table holds. */
    private static void fillProfile(User user) {
        server.execute("UPDATE users SET email = ?, patronymic = ?, date_of_birth = ?, gender = ?, country = ?, "
                        + "nationality = ?, identifier = ? WHERE id = ?",
                user.id() + "@mail.example", "Serikovna", LocalDate.of(1990, 5, 7), "F", "KAZ", "Kazakh", "900507400123",
                user.id());
    }

    /** The user signs in on the hosted pages with their phone, approves {@code grants}, and the partner exchanges the code. */
    private static JsonNode pair(User user, List<String> grants) {
        String link = Flows.loginLink(server, partner, grants, null);
        String location = Flows.approvedRedirect(server, server.browser(), link, user.phone());
        String code = Flows.query(location).get("authorization_code");
        assertThat(code).as(location).isNotNull();
        Http.Response response = server.http().json("POST", "/api/v1/oauth/token", partner.basic(),
                Map.of("authorization_code", code));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static String accessToken(User user, List<String> grants) {
        return pair(user, grants).get("access_token").asText();
    }

    private static JsonNode read(String accessToken) {
        Http.Response response = server.http().get(PATH, Http.bearer(accessToken));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> withId(List<String> fields) {
        List<String> out = new ArrayList<>(fields);
        out.add("id");
        return out;
    }
}
