package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.ApiTestSupport.assertValidation;
import static kz.freedomid.oauth.UserApiTestSupport.body;
import static kz.freedomid.oauth.UserApiTestSupport.created;
import static kz.freedomid.oauth.UserApiTestSupport.serviceToken;
import static kz.freedomid.oauth.UserApiTestSupport.text;
import static kz.freedomid.oauth.UserApiTestSupport.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contract 3.9: {@code PUT /api/v1/oauth/user}, partial updates by the partner that created the user. */
class UserUpdateApiTest {
    static TestServer server;
    static String token;
    static String otherToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        token = serviceToken(server, UserApiTestSupport.partner(server, "users:write"));
        otherToken = serviceToken(server, UserApiTestSupport.partner(server, "users:write"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A user with a value in every field, created by the test partner. */
    private static UUID fullUser() {
        return created(server, token, Flows.newPhone(), "email", "u-" + UUID.randomUUID() + "@example.kz",
                "firstname", "Dana", "lastname", "Serikova", "patronymic", "Amanovna", "date_of_birth", "1990-05-17",
                "identifier", "900517400123", "country", "KAZ", "gender", "F", "nationality", "Kazakh",
                "phones", List.of(Flows.newPhone()), "emails", List.of("x-" + UUID.randomUUID() + "@example.kz"));
    }

    private static JsonNode updated(Map<String, Object> body) {
        Http.Response response = update(server, token, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void updateWhenOneFieldSentThenOnlyItChangesAndTheResponseHoldsTheCurrentFields() {
        UUID id = fullUser();
        User before = server.app.users.find(id).orElseThrow();
        var extrasBefore = server.app.users.extras(id);

        JsonNode after = updated(body("freedom_id", id.toString(), "firstname", "Aruzhan"));

        List<String> keys = new ArrayList<>();
        after.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("freedom_id", "phone", "phone_verified", "phones", "email",
                "email_verified", "emails", "firstname", "lastname", "patronymic", "date_of_birth", "gender", "country",
                "nationality", "identifier");
        assertThat(after.get("freedom_id").asText()).isEqualTo(id.toString());
        assertThat(after.get("firstname").asText()).isEqualTo("Aruzhan");
        assertThat(after.get("lastname").asText()).isEqualTo("Serikova");
        assertThat(after.get("phone").asText()).isEqualTo(before.phone());
        assertThat(after.get("email").asText()).isEqualTo(before.email());
        assertThat(after.get("date_of_birth").asText()).isEqualTo("1990-05-17");
        assertThat(after.get("country").asText()).isEqualTo("KAZ");
        assertThat(after.get("phones").get(0).asText()).isEqualTo(extrasBefore.phones().get(0));
        User stored = server.app.users.find(id).orElseThrow();
        assertThat(stored.firstname()).isEqualTo("Aruzhan");
        assertThat(stored.lastname()).isEqualTo(before.lastname());
        assertThat(stored.patronymic()).isEqualTo(before.patronymic());
        assertThat(stored.identifier()).isEqualTo(before.identifier());
        assertThat(stored.gender()).isEqualTo(before.gender());
        assertThat(stored.nationality()).isEqualTo(before.nationality());
        assertThat(server.app.users.extras(id)).isEqualTo(extrasBefore);
    }

    @Test
    void updateWhenFieldsSentAsNullThenTheyAreClearedAndTheRestKept() {
        UUID id = fullUser();

        JsonNode after = updated(body("freedom_id", id.toString(), "email", null, "patronymic", null,
                "date_of_birth", null, "country", null, "gender", null, "phones", null, "emails", List.of()));

        for (String field : List.of("email", "patronymic", "date_of_birth", "country", "gender")) {
            assertThat(after.get(field).isNull()).as(field + " in " + after).isTrue();
        }
        assertThat(after.get("phones")).isEmpty();
        assertThat(after.get("emails")).isEmpty();
        assertThat(after.get("firstname").asText()).isEqualTo("Dana");
        User stored = server.app.users.find(id).orElseThrow();
        assertThat(stored.email()).isNull();
        assertThat(stored.dateOfBirth()).isNull();
        assertThat(stored.firstname()).isEqualTo("Dana");
        assertThat(server.count("SELECT COUNT(*) FROM user_phones WHERE user_id = ?", id)).isEqualTo(1); // the primary
        assertThat(server.count("SELECT COUNT(*) FROM user_emails WHERE user_id = ?", id)).isZero();
    }

    @Test
    void updateWhenPhoneIsNullOrEmptyThen422AndNothingChanges() {
        UUID id = fullUser();
        User before = server.app.users.find(id).orElseThrow();

        assertValidation(update(server, token, body("freedom_id", id.toString(), "phone", null, "firstname", "X")), "phone");
        assertValidation(update(server, token, body("freedom_id", id.toString(), "phone", "")), "phone");

        assertThat(server.app.users.find(id).orElseThrow()).isEqualTo(before);
    }

    @Test
    void updateWhenAValueBreaksARuleThen422WithTheFieldAndNothingChanges() {
        UUID id = fullUser();
        User before = server.app.users.find(id).orElseThrow();
        String tomorrow = server.app.tokens.now().atOffset(java.time.ZoneOffset.UTC).toLocalDate().plusDays(1).toString();

        assertValidation(update(server, token, body("freedom_id", id.toString(), "firstname", "Ok", "date_of_birth",
                "2023-02-30", "country", "XXX", "gender", "male", "email", "nope", "phones", List.of("+1"))),
                "date_of_birth", "country", "gender", "email", "phones.0");
        assertValidation(update(server, token, body("freedom_id", id.toString(), "date_of_birth", tomorrow)), "date_of_birth");
        assertValidation(update(server, token, body("freedom_id", id.toString(), "phones", List.of(before.phone()))),
                "phones.0");

        assertThat(server.app.users.find(id).orElseThrow()).isEqualTo(before);
    }

    @Test
    void updateWhenFreedomIdMissingOrMalformedThen422() {
        assertValidation(update(server, token, body("firstname", "Dana")), "freedom_id");
        assertValidation(update(server, token, body("freedom_id", "not-a-uuid")), "freedom_id");
        assertValidation(update(server, token, body("freedom_id", 42)), "freedom_id");
    }

    @Test
    void updateWhenTheUserDoesNotExistThen404() {
        assertError(update(server, token, body("freedom_id", UUID.randomUUID().toString(), "firstname", "X")), 404, 100006);
    }

    @Test
    void updateWhenTheUserWasCreatedByAnotherPartnerThen403AndNothingChanges() {
        UUID id = fullUser();
        User before = server.app.users.find(id).orElseThrow();

        assertError(update(server, otherToken, body("freedom_id", id.toString(), "firstname", "Stolen")), 403, 100003);

        assertThat(server.app.users.find(id).orElseThrow()).isEqualTo(before);
    }

    @Test
    void updateWhenTheUserSignedUpOnTheHostedPagesThen403() {
        User signedUp = Flows.user(server, null);
        assertError(update(server, token, body("freedom_id", signedUp.id().toString(), "firstname", "X")), 403, 100003);
        assertThat(server.app.users.find(signedUp.id()).orElseThrow().firstname()).isEqualTo(signedUp.firstname());
    }

    @Test
    void updateWhenEmailChangesThenItIsNoLongerVerifiedAndTheSameEmailKeepsTheFlag() {
        UUID id = fullUser();
        server.execute("UPDATE users SET email_verified = TRUE, phone_verified = TRUE WHERE id = ?", id);
        String email = server.app.users.find(id).orElseThrow().email();

        JsonNode same = updated(body("freedom_id", id.toString(), "email", email.toUpperCase()));
        assertThat(same.get("email_verified").asBoolean()).isTrue();

        JsonNode changed = updated(body("freedom_id", id.toString(), "email", "new-" + email));
        assertThat(changed.get("email").asText()).isEqualTo("new-" + email);
        assertThat(changed.get("email_verified").asBoolean()).isFalse();
        assertThat(changed.get("phone_verified").asBoolean()).isTrue();
        assertThat(server.app.users.find(id).orElseThrow().emailVerified()).isFalse();
    }

    @Test
    void updateWhenPhoneChangesThenItIsNoLongerVerifiedAndTheOldNumberIsFree() {
        UUID id = fullUser();
        server.execute("UPDATE users SET phone_verified = TRUE, email_verified = TRUE WHERE id = ?", id);
        String oldPhone = server.app.users.find(id).orElseThrow().phone();
        String newPhone = Flows.newPhone();

        JsonNode after = updated(body("freedom_id", id.toString(), "phone", newPhone));

        assertThat(after.get("phone").asText()).isEqualTo(newPhone);
        assertThat(after.get("phone_verified").asBoolean()).isFalse();
        assertThat(after.get("email_verified").asBoolean()).isTrue();
        assertThat(server.app.users.findByPhone(newPhone)).map(User::id).contains(id);
        created(server, token, oldPhone); // the old number now belongs to nobody
    }

    @Test
    void updateWhenAnAdditionalPhoneBecomesThePrimaryAndTheOldPrimaryAdditionalThenBothAreKept() {
        String primary = Flows.newPhone();
        String additional = Flows.newPhone();
        UUID id = created(server, token, primary, "phones", List.of(additional));

        JsonNode after = updated(body("freedom_id", id.toString(), "phone", additional, "phones", List.of(primary)));

        assertThat(after.get("phone").asText()).isEqualTo(additional);
        assertThat(after.get("phones").get(0).asText()).isEqualTo(primary);
        assertThat(server.app.users.extras(id).phones()).containsExactly(primary);
    }

    @Test
    void updateWhenThePhoneOrEmailBelongsToAnotherUserThen409AndNothingOfTheRequestIsWritten() {
        String taken = Flows.newPhone();
        String takenExtra = Flows.newPhone();
        created(server, token, taken, "email", "owner@example.kz", "phones", List.of(takenExtra));
        UUID id = fullUser();
        User before = server.app.users.find(id).orElseThrow();
        var extrasBefore = server.app.users.extras(id);

        assertError(update(server, token, body("freedom_id", id.toString(), "firstname", "Changed", "phone", taken)),
                409, 100007);
        assertError(update(server, token, body("freedom_id", id.toString(), "firstname", "Changed",
                "email", "OWNER@example.kz")), 409, 100007);

        assertThat(server.app.users.find(id).orElseThrow()).isEqualTo(before);
        assertThat(server.app.users.extras(id)).isEqualTo(extrasBefore);

        // Another user's additional number is data, not an identity: taking it as one's own phone is allowed.
        assertThat(update(server, token, body("freedom_id", id.toString(), "phone", takenExtra)).status()).isEqualTo(200);
    }

    @Test
    void updateWhenNothingButTheFreedomIdIsSentThen200AndNothingChanges() {
        UUID id = fullUser();
        User before = server.app.users.find(id).orElseThrow();
        JsonNode after = updated(body("freedom_id", id.toString()));
        assertThat(text(after, "firstname")).isEqualTo("Dana");
        assertThat(server.app.users.find(id).orElseThrow()).isEqualTo(before);
    }
}
