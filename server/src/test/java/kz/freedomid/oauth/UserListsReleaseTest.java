package kz.freedomid.oauth;

import static kz.freedomid.oauth.UserApiTestSupport.PATH;
import static kz.freedomid.oauth.UserApiTestSupport.created;
import static kz.freedomid.oauth.UserApiTestSupport.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.Card;
import kz.freedomid.user.CardService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Section 1: read.phones, read.emails and read.cards release the user's real additional phones, emails and cards. */
class UserListsReleaseTest {
    static TestServer server;
    static Flows.TestPartner partner;
    static String serviceToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = UserApiTestSupport.partner(server, "users:write");
        serviceToken = serviceToken(server, partner);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String userToken(String phone, List<String> grants) {
        String link = Flows.loginLink(server, partner, grants, null);
        String location = Flows.approvedRedirect(server, server.browser(), link, phone);
        return Flows.exchange(server, partner, Flows.query(location).get("authorization_code")).accessToken();
    }

    private static JsonNode info(String token) {
        Http.Response response = server.http().get(PATH, Http.bearer(token));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void userInfoWhenListGrantsConsentedThenTheAdditionalPhonesEmailsAndCardsInOrder() {
        String phone = Flows.newPhone();
        String extra1 = Flows.newPhone();
        String extra2 = Flows.newPhone();
        UUID id = created(server, serviceToken, phone, "phones", List.of(extra2, extra1),
                "emails", List.of("b-" + phone.substring(1) + "@example.kz", "a-" + phone.substring(1) + "@example.kz"));
        Card visa = server.app.cards.attach(id, new CardService.NewCard("440043******1234", "VISA", "09/29"));
        server.clock.advance(java.time.Duration.ofSeconds(1));
        Card mir = server.app.cards.attach(id, new CardService.NewCard("220070****5678", "mir", "01/31"));

        JsonNode info = info(userToken(phone, List.of("read.phone", "read.phones", "read.emails", "read.cards")));

        assertThat(texts(info.get("phones"))).containsExactly(extra2, extra1);
        assertThat(texts(info.get("emails"))).containsExactly("b-" + phone.substring(1) + "@example.kz",
                "a-" + phone.substring(1) + "@example.kz");
        JsonNode cards = info.get("cards");
        assertThat(cards).hasSize(2);
        assertThat(cards.get(0).toString()).isEqualTo("{\"id\":\"" + visa.id()
                + "\",\"masked_pan\":\"440043******1234\",\"brand\":\"VISA\",\"expiry\":\"09/29\"}");
        assertThat(cards.get(1).get("id").asText()).isEqualTo(mir.id().toString());
        assertThat(cards.get(1).get("brand").asText()).isEqualTo("MIR");
        assertThat(info.get("phone").asText()).isEqualTo(phone);
    }

    @Test
    void userInfoWhenOnlySomeListGrantsConsentedThenTheOthersAreAbsent() {
        String phone = Flows.newPhone();
        UUID id = created(server, serviceToken, phone, "phones", List.of(Flows.newPhone()),
                "emails", List.of("only-" + phone.substring(1) + "@example.kz"));
        server.app.cards.attach(id, new CardService.NewCard("440043******1234", "VISA", "09/29"));

        JsonNode emailsOnly = info(userToken(phone, List.of("read.phone", "read.emails")));
        List<String> keys = new ArrayList<>();
        emailsOnly.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("id", "phone", "emails");
        assertThat(texts(emailsOnly.get("emails"))).containsExactly("only-" + phone.substring(1) + "@example.kz");
    }

    @Test
    void userInfoWhenListGrantsConsentedButNothingStoredThenEmptyArrays() {
        String phone = Flows.newPhone();
        created(server, serviceToken, phone);
        JsonNode info = info(userToken(phone, List.of("read.phones", "read.emails", "read.cards")));
        for (String list : List.of("phones", "emails", "cards")) {
            assertThat(info.get(list).isArray()).as(list).isTrue();
            assertThat(info.get(list)).as(list).isEmpty();
        }
    }

    @Test
    void userInfoReflectsAnUpdateOfTheListsAndARemovedCard() {
        String phone = Flows.newPhone();
        UUID id = created(server, serviceToken, phone, "phones", List.of(Flows.newPhone()));
        Card card = server.app.cards.attach(id, new CardService.NewCard("440043******1234", "VISA", "09/29"));
        String token = userToken(phone, List.of("read.phones", "read.cards"));
        assertThat(info(token).get("cards")).hasSize(1);

        String replacement = Flows.newPhone();
        Http.Response updated = server.http().json("PUT", PATH, Http.bearer(serviceToken),
                UserApiTestSupport.body("freedom_id", id.toString(), "phones", List.of(replacement)));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(server.app.cards.remove(id, card.id())).isTrue();

        JsonNode info = info(token);
        assertThat(texts(info.get("phones"))).containsExactly(replacement);
        assertThat(info.get("cards")).isEmpty();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
