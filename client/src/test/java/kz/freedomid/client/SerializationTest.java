package kz.freedomid.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SerializationTest {
    @Test
    void tokenPairReadsContractFieldsAndHidesTokensFromToString() throws Exception {
        JsonNode json = Json.MAPPER.readTree("""
                {"id":"0190a1b2-0000-7000-8000-000000000001","access_token":"A1","refresh_token":"R1",
                 "access_expire_at":"2025-03-04T06:35:50.123456Z","refresh_expire_at":"2025-04-03T06:35:50.000000Z"}""");
        TokenPair pair = TokenPair.from(json);
        assertThat(pair.accessToken()).isEqualTo("A1");
        assertThat(pair.refreshToken()).isEqualTo("R1");
        assertThat(pair.accessExpiresAt()).isEqualTo(Instant.parse("2025-03-04T06:35:50.123456Z"));
        assertThat(pair.idToken()).isNull();
        assertThat(pair.toString()).doesNotContain("A1").doesNotContain("R1");
    }

    @Test
    void userInfoTellsAbsentFieldsFromGrantedNulls() throws Exception {
        JsonNode json = Json.MAPPER.readTree("""
                {"id":"u1","firstname":"Dana","email":null,"date_of_birth":"1990-05-01","phones":["+77010000001"],
                 "cards":[{"id":"c1","masked_pan":"440043******1234","brand":"visa","expiry":"12/29"}]}""");
        FreedomUser user = FreedomUser.from(json);
        assertThat(user.firstname()).isEqualTo("Dana");
        assertThat(user.dateOfBirth()).isEqualTo(LocalDate.of(1990, 5, 1));
        assertThat(user.email()).isNull();
        assertThat(user.isReleased("email")).isTrue();
        assertThat(user.isReleased("lastname")).isFalse();
        assertThat(user.phones()).containsExactly("+77010000001");
        assertThat(user.cards()).containsExactly(new Card("c1", "440043******1234", "visa", "12/29"));
    }

    @Test
    void updateFieldsSendOnlyWhatWasSetWithExplicitNulls() throws Exception {
        UserFields fields = UserFields.create().firstname("Aruzhan").email(null).dateOfBirth(LocalDate.of(1991, 2, 3));
        JsonNode body = Json.MAPPER.readTree(Json.write(fields.asMap()));
        assertThat(body.get("firstname").asText()).isEqualTo("Aruzhan");
        assertThat(body.has("email")).isTrue();
        assertThat(body.get("email").isNull()).isTrue();
        assertThat(body.get("date_of_birth").asText()).isEqualTo("1991-02-03");
        assertThat(body.has("lastname")).isFalse();
        assertThat(body.size()).isEqualTo(3);
    }

    @Test
    void profileStatusCarriesThePayloadOnlyWhenCompleted() throws Exception {
        ProfileStatus completed = ProfileStatus.from(Json.MAPPER.readTree("""
                {"request_id":"r","status":"completed","status_message":"ok","freedom_id":"u",
                 "profile":{"payload":"a.b.c.d.e"},"datetime":"2025-03-04T06:35:50.000000Z"}"""));
        ProfileStatus pending = ProfileStatus.from(Json.MAPPER.readTree("""
                {"request_id":"r","status":"pending","status_message":"","freedom_id":"u","datetime":"2025-03-04T06:35:50.000000Z"}"""));
        assertThat(completed.isCompleted()).isTrue();
        assertThat(completed.encryptedProfile()).isEqualTo("a.b.c.d.e");
        assertThat(pending.isPending()).isTrue();
        assertThat(pending.encryptedProfile()).isNull();
    }
}
