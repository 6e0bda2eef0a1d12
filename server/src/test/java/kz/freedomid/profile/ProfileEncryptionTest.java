package kz.freedomid.profile;

import static kz.freedomid.profile.ProfileTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.Card;
import kz.freedomid.user.CardService;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The partner decrypts the profile with its private key and finds every attribute of contract section 1. */
class ProfileEncryptionTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, fastJobs());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rsaOaep256ProfileHoldsEveryAttribute() throws Exception {
        RSAKey key = rsaKey();
        Flows.TestPartner partner = partner(server, key.toPublicJWK().toJSONString());
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        UUID userId = UUID.fromString(user.freedomId());
        server.execute("""
                UPDATE users SET email = ?, email_verified = TRUE, patronymic = ?, date_of_birth = ?, gender = 'F',
                    country = 'KAZ', nationality = ?, identifier = ? WHERE id = ?""",
                "dana-" + userId + "@example.kz", "Amanovna", LocalDate.of(1990, 5, 17), "Kazakh", "900517400123", userId);
        String extraPhone = Flows.newPhone();
        server.execute("INSERT INTO user_phones (user_id, slot, phone) VALUES (?, 1, ?)", userId, extraPhone);
        server.execute("INSERT INTO user_emails (user_id, slot, email) VALUES (?, 1, ?)", userId, "work-" + userId + "@example.kz");
        Card card = server.app.cards.attach(userId, new CardService.NewCard("440043******1234", "VISA", "09/29"));
        // The user also consented to another partner: two partners connected.
        Flows.TestPartner other = partnerWithRsaKey(server);
        server.execute("INSERT INTO consents (user_id, client_id, grants, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                userId, UUID.fromString(other.clientId()), "read.firstname", server.clock.instant(), server.clock.instant());

        JWEObject jwe = fetch(user, partner);
        assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.RSA_OAEP_256);
        assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
        assertThat(jwe.getHeader().getKeyID()).isEqualTo(key.getKeyID());
        JsonNode profile = decrypt(jwe, new RSADecrypter(key));

        User stored = server.app.users.find(userId).orElseThrow();
        assertThat(profile.get("freedom_id").asText()).isEqualTo(user.freedomId());
        assertThat(profile.get("firstname").asText()).isEqualTo(stored.firstname()).isNotBlank();
        assertThat(profile.get("lastname").asText()).isEqualTo(stored.lastname()).isNotBlank();
        assertThat(profile.get("patronymic").asText()).isEqualTo("Amanovna");
        assertThat(profile.get("date_of_birth").asText()).isEqualTo("1990-05-17");
        assertThat(profile.get("gender").asText()).isEqualTo("F");
        assertThat(profile.get("country").asText()).isEqualTo("KAZ");
        assertThat(profile.get("nationality").asText()).isEqualTo("Kazakh");
        assertThat(profile.get("identifier").asText()).isEqualTo("900517400123");
        assertThat(profile.get("phone").asText()).isEqualTo(stored.phone()).startsWith("+");
        assertThat(profile.get("email").asText()).isEqualTo("dana-" + userId + "@example.kz");
        assertThat(profile.get("phones").toString()).isEqualTo("[\"" + extraPhone + "\"]");
        assertThat(profile.get("emails").toString()).isEqualTo("[\"work-" + userId + "@example.kz\"]");
        assertThat(profile.get("cards").toString()).isEqualTo("[{\"id\":\"" + card.id()
                + "\",\"masked_pan\":\"440043******1234\",\"brand\":\"VISA\",\"expiry\":\"09/29\"}]");
        JsonNode verification = profile.get("verification");
        assertThat(verification.get("phone_verified").asBoolean()).isTrue();
        assertThat(verification.get("email_verified").asBoolean()).isTrue();
        assertThat(verification.get("level").asText()).isEqualTo("full");
        JsonNode account = profile.get("account");
        assertThat(account.get("created_at").asText()).isEqualTo(Json.timestamp(stored.createdAt()));
        assertThat(account.get("last_login_at").asText()).isEqualTo(Json.timestamp(stored.lastLoginAt()));
        assertThat(account.get("partners_connected").asInt()).isEqualTo(2);
        assertThat(profile.get("generated_at").asText())
                .isEqualTo(Json.timestamp(server.clock.instant().truncatedTo(ChronoUnit.MICROS)));
        assertThat(jwe.serialize()).doesNotContain(profile.get("identifier").asText());
        assertThat(server.count("SELECT COUNT(*) FROM profile_requests WHERE payload LIKE ?", "%900517400123%")).isZero();
    }

    @Test
    void ecdhEsProfileShowsBasicAndNoneVerification() throws Exception {
        ECKey key = ecKey();
        Flows.TestPartner partner = partner(server, key.toPublicJWK().toJSONString());
        UserToken user = userToken(server, partner, PROFILE_GRANTS);

        JWEObject jwe = fetch(user, partner);
        assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.ECDH_ES_A256KW);
        assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
        JsonNode profile = decrypt(jwe, new ECDHDecrypter(key));
        assertThat(profile.get("freedom_id").asText()).isEqualTo(user.freedomId());
        assertThat(profile.get("patronymic").isNull()).isTrue();
        assertThat(profile.get("identifier").isNull()).isTrue();
        assertThat(profile.get("email").isNull()).isTrue();
        assertThat(profile.get("verification").get("level").asText()).isEqualTo("basic");
        assertThat(profile.get("account").get("partners_connected").asInt()).isEqualTo(1);

        server.execute("UPDATE users SET phone_verified = FALSE WHERE id = ?", UUID.fromString(user.freedomId()));
        JsonNode unverified = decrypt(fetch(user, partner), new ECDHDecrypter(key));
        assertThat(unverified.get("verification").get("phone_verified").asBoolean()).isFalse();
        assertThat(unverified.get("verification").get("level").asText()).isEqualTo("none");
    }

    @Test
    void anotherKeyCannotDecrypt() throws Exception {
        Flows.TestPartner partner = partnerWithRsaKey(server);
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        JWEObject jwe = fetch(user, partner);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jwe.decrypt(new RSADecrypter(rsaKey())))
                .isInstanceOf(com.nimbusds.jose.JOSEException.class);
    }

    @Test
    void theRegisteredKeyIsStoredPublicOnlyAndPrivateKeysAreRefused() throws Exception {
        RSAKey key = rsaKey();
        Flows.TestPartner partner = partner(server, key.toPublicJWK().toJSONString());
        String stored = server.app.partners.find(UUID.fromString(partner.clientId())).orElseThrow().settings().profileJwk();
        assertThat(JWK.parse(stored).isPrivate()).isFalse();
        assertThat(JWK.parse(stored).toRSAKey().getModulus()).isEqualTo(key.getModulus());

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> server.app.partners.setProfileJwk(UUID.fromString(partner.clientId()), key.toJSONString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRIVATE key");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> server.app.partners.setProfileJwk(UUID.fromString(partner.clientId()), "{\"kty\":\"oct\",\"k\":\"AAAA\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        ECKey ec = ecKey();
        assertThat(server.app.partners.setProfileJwk(UUID.fromString(partner.clientId()), ec.toPublicJWK().toJSONString()))
                .isTrue();

        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        JWEObject jwe = fetch(user, partner);
        assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.ECDH_ES_A256KW);
        assertThat(decrypt(jwe, new ECDHDecrypter(ec)).get("freedom_id").asText()).isEqualTo(user.freedomId());
    }

    private static JWEObject fetch(UserToken user, Flows.TestPartner partner) throws Exception {
        String requestId = newRequestId();
        assertThat(postOk(server, user.accessToken(), requestId).get("status").asText()).isEqualTo("accepted");
        JsonNode done = awaitFinished(server, user.accessToken(), requestId);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        return JWEObject.parse(done.get("profile").get("payload").asText());
    }

    private static JsonNode decrypt(JWEObject jwe, JWEDecrypter decrypter) throws Exception {
        jwe.decrypt(decrypter);
        return Json.MAPPER.readTree(jwe.getPayload().toString());
    }
}
