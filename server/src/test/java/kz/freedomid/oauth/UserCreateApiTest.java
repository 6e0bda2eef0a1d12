package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.ApiTestSupport.assertValidation;
import static kz.freedomid.oauth.ApiTestSupport.concurrently;
import static kz.freedomid.oauth.UserApiTestSupport.PATH;
import static kz.freedomid.oauth.UserApiTestSupport.body;
import static kz.freedomid.oauth.UserApiTestSupport.create;
import static kz.freedomid.oauth.UserApiTestSupport.created;
import static kz.freedomid.oauth.UserApiTestSupport.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract 3.8: {@code POST /api/v1/oauth/user} with a service token holding {@code users:write}. */
class UserCreateApiTest {
    static TestServer server;
    static Flows.TestPartner partner;
    static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = UserApiTestSupport.partner(server, "users:write");
        token = serviceToken(server, partner);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createWhenEveryFieldValidThen201WithFreedomIdAndTheUserStored() {
        String phone = Flows.newPhone();
        String extraPhone = Flows.newPhone();
        Map<String, Object> body = body("phone", phone, "email", " Dana.Serikova@Mail.Example ", "firstname", "Dana",
                "lastname", "Serikova", "patronymic", "Amanovna", "date_of_birth", "1990-05-17", "identifier", "900517400123",
                "country", "KAZ", "gender", "F", "nationality", "Kazakh", "phones", List.of(extraPhone),
                "emails", List.of("dana@work.example"));

        Http.Response response = create(server, token, body);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        List<String> keys = new ArrayList<>();
        response.json().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("freedom_id");
        UUID id = UUID.fromString(response.json().get("freedom_id").asText());
        User user = server.app.users.find(id).orElseThrow();
        assertThat(user.phone()).isEqualTo(phone);
        assertThat(user.email()).isEqualTo("dana.serikova@mail.example");
        assertThat(user.firstname()).isEqualTo("Dana");
        assertThat(user.lastname()).isEqualTo("Serikova");
        assertThat(user.patronymic()).isEqualTo("Amanovna");
        assertThat(user.dateOfBirth()).isEqualTo(LocalDate.of(1990, 5, 17));
        assertThat(user.identifier()).isEqualTo("900517400123");
        assertThat(user.country()).isEqualTo("KAZ");
        assertThat(user.gender()).isEqualTo("F");
        assertThat(user.nationality()).isEqualTo("Kazakh");
        assertThat(user.phoneVerified()).isFalse();
        assertThat(user.emailVerified()).isFalse();
        assertThat(server.app.users.extras(id).phones()).containsExactly(extraPhone);
        assertThat(server.app.users.extras(id).emails()).containsExactly("dana@work.example");
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE id = ? AND created_by = ?", id,
                UUID.fromString(partner.clientId()))).isEqualTo(1);
    }

    @Test
    void createWhenOnlyThePhoneThen201AndEveryOtherFieldEmpty() {
        UUID id = created(server, token, Flows.newPhone());
        User user = server.app.users.find(id).orElseThrow();
        assertThat(user.email()).isNull();
        assertThat(user.firstname()).isNull();
        assertThat(user.dateOfBirth()).isNull();
        assertThat(server.app.users.extras(id).phones()).isEmpty();
    }

    @Test
    void createWhenOptionalFieldsAreNullOrBlankThenTheyHaveNoValue() {
        UUID id = created(server, token, Flows.newPhone(), "email", null, "firstname", "  ", "country", null,
                "phones", null, "emails", List.of());
        User user = server.app.users.find(id).orElseThrow();
        assertThat(user.email()).isNull();
        assertThat(user.firstname()).isNull();
        assertThat(user.country()).isNull();
    }

    static Stream<Arguments> invalidBodies() {
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return Stream.of(
                Arguments.of("phone missing", body("firstname", "Dana"), List.of("phone")),
                Arguments.of("phone null", body("phone", null), List.of("phone")),
                Arguments.of("phone without +", body("phone", "77011234567"), List.of("phone")),
                Arguments.of("phone too short", body("phone", "+770112345"), List.of("phone")),
                Arguments.of("phone too long", body("phone", "+7701123456789012"), List.of("phone")),
                Arguments.of("phone with spaces", body("phone", "+7 701 123 45 67"), List.of("phone")),
                Arguments.of("phone a number", body("phone", 77011234567L), List.of("phone")),
                Arguments.of("date_of_birth 30 February", withPhone("date_of_birth", "2023-02-30"), List.of("date_of_birth")),
                Arguments.of("date_of_birth month 13", withPhone("date_of_birth", "1990-13-01"), List.of("date_of_birth")),
                Arguments.of("date_of_birth not padded", withPhone("date_of_birth", "1990-5-7"), List.of("date_of_birth")),
                Arguments.of("date_of_birth another format", withPhone("date_of_birth", "17.05.1990"), List.of("date_of_birth")),
                Arguments.of("date_of_birth tomorrow", withPhone("date_of_birth", tomorrow), List.of("date_of_birth")),
                Arguments.of("date_of_birth today", withPhone("date_of_birth", today), List.of("date_of_birth")),
                Arguments.of("date_of_birth before 1900", withPhone("date_of_birth", "1899-12-31"), List.of("date_of_birth")),
                Arguments.of("country XXX", withPhone("country", "XXX"), List.of("country")),
                Arguments.of("country lower case", withPhone("country", "kaz"), List.of("country")),
                Arguments.of("country alpha-2", withPhone("country", "KZ"), List.of("country")),
                Arguments.of("gender male", withPhone("gender", "male"), List.of("gender")),
                Arguments.of("gender lower case", withPhone("gender", "f"), List.of("gender")),
                Arguments.of("email without @", withPhone("email", "dana.example.kz"), List.of("email")),
                Arguments.of("email without domain dot", withPhone("email", "dana@localhost"), List.of("email")),
                Arguments.of("email with space", withPhone("email", "da na@example.kz"), List.of("email")),
                Arguments.of("email too long", withPhone("email", "a".repeat(250) + "@example.kz"), List.of("email")),
                Arguments.of("firstname too long", withPhone("firstname", "A".repeat(101)), List.of("firstname")),
                Arguments.of("firstname control character", withPhone("firstname", "Da\u0007na"), List.of("firstname")),
                Arguments.of("identifier too long", withPhone("identifier", "9".repeat(65)), List.of("identifier")),
                Arguments.of("lastname a number", withPhone("lastname", 42), List.of("lastname")),
                Arguments.of("phones item invalid", withPhone("phones", List.of("+77019998877", "8701")), List.of("phones.1")),
                Arguments.of("phones item duplicate", withPhone("phones", List.of("+77019998877", "+77019998877")), List.of("phones.1")),
                Arguments.of("phones item a number", withPhone("phones", List.of(77019998877L)), List.of("phones.0")),
                Arguments.of("phones not an array", withPhone("phones", "+77019998877"), List.of("phones")),
                Arguments.of("phones too many", withPhone("phones", elevenPhones()), List.of("phones")),
                Arguments.of("emails item invalid", withPhone("emails", List.of("ok@example.kz", "nope")), List.of("emails.1")),
                Arguments.of("emails item duplicate by case", withPhone("emails", List.of("ok@example.kz", "OK@example.kz")),
                        List.of("emails.1")),
                Arguments.of("emails item null", withPhone("emails", listWithNull()), List.of("emails.0")),
                Arguments.of("additional phone equals the phone", body("phone", "+77015550000", "phones", List.of("+77015550000")),
                        List.of("phones.0")),
                Arguments.of("additional email equals the email", withPhone("email", "a@example.kz", "emails", List.of("A@example.kz")),
                        List.of("emails.0")),
                Arguments.of("unknown field", withPhone("first_name", "Dana"), List.of("first_name")),
                Arguments.of("freedom_id is not chosen by the partner", withPhone("freedom_id", UUID.randomUUID().toString()),
                        List.of("freedom_id")),
                Arguments.of("several at once", body("phone", "123", "country", "XXX", "gender", "X", "email", "@"),
                        List.of("phone", "country", "gender", "email")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void createWhenBodyBreaksARuleThen422WithTheFieldAndNothingStored(String name, Map<String, Object> body,
                                                                      List<String> fields) {
        long users = server.count("SELECT COUNT(*) FROM users");
        long phones = server.count("SELECT COUNT(*) FROM user_phones");

        assertValidation(create(server, token, body), fields.toArray(String[]::new));

        assertThat(server.count("SELECT COUNT(*) FROM users")).isEqualTo(users);
        assertThat(server.count("SELECT COUNT(*) FROM user_phones")).isEqualTo(phones);
    }

    @Test
    void createWhenCountryIsARealAlpha3CodeThenAccepted() {
        for (String country : List.of("KAZ", "RUS", "UZB", "DEU", "USA")) {
            UUID id = created(server, token, Flows.newPhone(), "country", country);
            assertThat(server.app.users.find(id).orElseThrow().country()).isEqualTo(country);
        }
    }

    @Test
    void createWhenANameLooksLikeACardNumberThen422AndTheNumberIsNeitherStoredNorEchoed() {
        String pan = "4400 4300 1234 5678";
        Http.Response response = create(server, token, withPhone("firstname", pan, "nationality", "4400430012345678"));

        assertValidation(response, "firstname", "nationality");
        assertThat(response.body()).doesNotContain("4400").doesNotContain("5678");
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE firstname LIKE ? OR nationality LIKE ?", "%4400%", "%4400%"))
                .isZero();
    }

    @Test
    void createWhenCardsAreSentThen422WithoutEchoingThem() {
        Http.Response response = create(server, token, withPhone("cards", List.of("4400430012345678")));
        assertValidation(response, "cards");
        assertThat(response.body()).doesNotContain("4400430012345678");

        Http.Response oddName = create(server, token, withPhone("4400430012345678", "x"));
        assertValidation(oddName, "body");
        assertThat(oddName.body()).doesNotContain("4400430012345678");
    }

    @Test
    void createWhenThePhoneBelongsToAnotherUserThen409AndNothingStored() {
        String phone = Flows.newPhone();
        created(server, token, phone);
        long users = server.count("SELECT COUNT(*) FROM users");

        assertError(create(server, token, body("phone", phone, "firstname", "Twin")), 409, 100007);

        assertThat(server.count("SELECT COUNT(*) FROM users")).isEqualTo(users);
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE firstname = 'Twin'")).isZero();
    }

    @Test
    void createWhenTheEmailBelongsToAnotherUserInAnyCaseThen409() {
        created(server, token, Flows.newPhone(), "email", "taken@example.kz");
        assertError(create(server, token, body("phone", Flows.newPhone(), "email", "Taken@Example.KZ")), 409, 100007);
    }

    @Test
    void anotherUsersAdditionalPhoneOrEmailDoesNotBlockAnyoneWhileTheirPhoneAndEmailDo() {
        String primary = Flows.newPhone();
        String additional = Flows.newPhone();
        created(server, token, primary, "phones", List.of(additional), "email", "first@example.kz",
                "emails", List.of("first.extra@example.kz"));

        // Additional values are unverified data: listing someone's number never stops its owner from using it.
        created(server, token, additional);
        created(server, token, Flows.newPhone(), "phones", List.of(primary));
        created(server, token, Flows.newPhone(), "email", "first.extra@example.kz");
        created(server, token, Flows.newPhone(), "emails", List.of("first@example.kz"));

        long users = server.count("SELECT COUNT(*) FROM users");
        long phones = server.count("SELECT COUNT(*) FROM user_phones");
        assertError(create(server, token, body("phone", primary)), 409, 100007);
        assertError(create(server, token, body("phone", Flows.newPhone(), "email", "First@example.kz")), 409, 100007);
        assertThat(server.count("SELECT COUNT(*) FROM users")).isEqualTo(users);
        assertThat(server.count("SELECT COUNT(*) FROM user_phones")).isEqualTo(phones);
    }

    @Test
    void theOwnerOfANumberListedAsSomeoneElsesAdditionalPhoneCanStillSignUpWithIt() {
        String listed = Flows.newPhone();
        created(server, token, Flows.newPhone(), "phones", List.of(listed));
        var partner = Flows.partner(server, kz.freedomid.partner.Grant.READ_PHONE);
        String back = Flows.approvedRedirect(server, server.browser(),
                Flows.loginLink(server, partner, List.of("read.phone"), null), listed);
        assertThat(back).contains("authorization_code=");
        assertThat(server.app.users.findByPhone(listed)).isPresent();
    }

    @Test
    void createWhenAUserSignedUpWithThePhoneOnTheHostedPagesThen409() {
        User signedUp = Flows.user(server, null);
        assertError(create(server, token, body("phone", signedUp.phone())), 409, 100007);
    }

    @Test
    void createConcurrentlyWithTheSamePhoneThenExactlyOneWins() throws Exception {
        String phone = Flows.newPhone();

        List<Http.Response> responses = concurrently(8, () -> create(server, token, body("phone", phone)));

        assertThat(responses.stream().filter(r -> r.status() == 201).count()).as(responses.toString()).isEqualTo(1);
        for (Http.Response r : responses) {
            if (r.status() != 201) assertError(r, 409, 100007);
        }
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE phone = ?", phone)).isEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM user_phones WHERE phone = ?", phone)).isEqualTo(1);
    }

    @Test
    void createConcurrentlyWithTheSameEmailThenExactlyOneWins() throws Exception {
        List<Http.Response> responses = concurrently(8, () -> create(server, token,
                body("phone", Flows.newPhone(), "email", "shared@example.kz")));

        assertThat(responses.stream().filter(r -> r.status() == 201).count()).as(responses.toString()).isEqualTo(1);
        assertThat(responses.stream().filter(r -> r.status() == 409).count()).isEqualTo(7);
    }

    @Test
    void createWhenTheBodyIsNotJsonThen400Or415() {
        assertError(server.http().send("POST", PATH, Http.bearer(token), "application/json",
                "{\"phone\":".getBytes(StandardCharsets.UTF_8)), 400, 100008);
        assertError(server.http().json("POST", PATH, Http.bearer(token), "[\"+77011234567\"]"), 400, 100008);
        assertError(server.http().send("POST", PATH, Http.bearer(token), "text/plain",
                "{\"phone\":\"+77011234567\"}".getBytes(StandardCharsets.UTF_8)), 415, 100008);
        assertError(server.http().send("POST", PATH, Http.bearer(token), "application/json",
                ("{\"phone\":\"" + "1".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8)), 400, 100008);
        assertValidation(server.http().send("POST", PATH, Http.bearer(token), null, null), "phone");
    }

    private static Map<String, Object> withPhone(Object... keyValues) {
        Map<String, Object> body = body(keyValues);
        body.put("phone", Flows.newPhone());
        return body;
    }

    private static List<String> elevenPhones() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 11; i++) out.add("+7702000000" + i);
        return out;
    }

    private static List<String> listWithNull() {
        List<String> out = new ArrayList<>();
        out.add(null);
        return out;
    }
}
