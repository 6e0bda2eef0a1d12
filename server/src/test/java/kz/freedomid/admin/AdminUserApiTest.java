package kz.freedomid.admin;

import static kz.freedomid.testing.AdminClient.assertError;
import static kz.freedomid.testing.AdminClient.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.AdminClient;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/api/v1/users}: create, read, search, change, block, unblock, delete, cards; each change audited. */
class AdminUserApiTest {
    static TestServer server;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        server = AdminClient.server(Map.of());
        admin = new AdminClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A user signed in to a partner with a revoke_uri: their tokens and the queued callbacks are what blocking ends. */
    record SignedIn(User user, Flows.TestPartner partner, Flows.Tokens tokens, Browser browser) {}

    static SignedIn signedIn() {
        String redirect = "https://shop.example/cb";
        var registered = server.app.partners.register(new PartnerService.NewPartner("Shop", List.of(redirect),
                Set.of(Grant.READ_FIRSTNAME), "http://127.0.0.1:9/revoke"));
        var partner = new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(), redirect);
        User user = Flows.user(server, "steppe-eagle-2024");
        Browser browser = server.browser();
        String back = Flows.approvedRedirect(server, browser, Flows.loginLink(server, partner, List.of("read.firstname"), null),
                user.phone());
        return new SignedIn(user, partner, Flows.exchange(server, partner, Flows.query(back).get("authorization_code")), browser);
    }

    @Test
    void createReadSearchAndUpdateWithThePartnerApiRules() {
        String phone = Flows.newPhone();
        String extra = Flows.newPhone();
        Http.Response created = admin.post("/users", Map.of("phone", phone, "firstname", "Dana", "country", "KAZ",
                "phones", List.of(extra), "email", "dana.admin@example.kz"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("freedom_id").asText();
        assertThat(created.json().get("status").asText()).isEqualTo("active");
        assertThat(admin.event("action=admin.user.created&subject=" + id).get("actor").get("kind").asText()).isEqualTo("admin");

        assertThat(admin.get("/users/" + id).json().get("phones").get(0).asText()).isEqualTo(extra);
        assertError(admin.get("/users/" + UUID.randomUUID()), 404, 100006);
        assertError(admin.get("/users/not-a-uuid"), 404, 100006);

        assertThat(admin.get("/users?phone=" + java.net.URLEncoder.encode(extra, java.nio.charset.StandardCharsets.UTF_8))
                .json().get("users").get(0).get("freedom_id").asText()).isEqualTo(id);
        assertThat(admin.get("/users?email=DANA.admin@example.kz").json().get("users")).hasSize(1);
        assertInvalid(admin.get("/users"), "phone");
        assertInvalid(admin.get("/users?phone=%2B77011111111&limit=500"), "limit");

        assertInvalid(admin.post("/users", Map.of("phone", "12345", "date_of_birth", "2023-02-30", "country", "XXX")),
                "phone", "date_of_birth", "country");
        assertError(admin.post("/users", Map.of("phone", phone)), 409, 100007);

        Http.Response changed = admin.patch("/users/" + id, Map.of("lastname", "Serikova", "country", "UZB"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("lastname").asText()).isEqualTo("Serikova");
        assertThat(changed.json().get("firstname").asText()).as("omitted stays").isEqualTo("Dana");
        JsonNode event = admin.event("action=admin.user.updated&subject=" + id);
        assertThat(event.toString()).contains("lastname").contains("country").doesNotContain("Serikova");
        assertError(admin.patch("/users/" + UUID.randomUUID(), Map.of("lastname", "X")), 404, 100006);
    }

    @Test
    void blockingEndsEverySessionAndTokenQueuesTheCallbacksAndStopsSignIn() {
        SignedIn s = signedIn();
        String id = s.user().id().toString();

        Http.Response blocked = admin.post("/users/" + id + "/block", null);
        assertThat(blocked.status()).as(blocked.body()).isEqualTo(200);
        assertThat(blocked.json().get("status").asText()).isEqualTo("blocked");
        assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + s.tokens().accessToken()).status()).isEqualTo(401);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoke_reason = 'user_blocked'",
                UUID.fromString(s.tokens().id()))).isEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM web_sessions WHERE user_id = ? AND ended_at IS NULL", s.user().id())).isZero();
        assertThat(server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback' AND task_instance = ?",
                "revoke:" + s.tokens().id())).isEqualTo(1);
        assertThat(server.app.users.checkPassword(s.user().phone(), "steppe-eagle-2024")).isEmpty();
        server.clock.advance(java.time.Duration.ofSeconds(61)); // a new code may be sent to the phone
        Browser.Page codeSignIn = Flows.signInWithCode(server, server.browser(),
                Flows.loginLink(server, s.partner(), List.of("read.firstname"), null), s.user().phone());
        assertThat(codeSignIn.status()).as("a blocked user cannot sign in with a code either").isEqualTo(403);
        assertThat(admin.event("action=admin.user.blocked&subject=" + id).toString()).contains("pairs_revoked");

        Http.Response unblocked = admin.post("/users/" + id + "/unblock", null);
        assertThat(unblocked.json().get("status").asText()).isEqualTo("active");
        assertThat(server.app.users.checkPassword(s.user().phone(), "steppe-eagle-2024")).isPresent();
        assertError(admin.post("/users/" + UUID.randomUUID() + "/block", null), 404, 100006);
    }

    @Test
    void deletingRemovesTheUserWithTheirTokensAfterQueueingTheCallbacks() {
        SignedIn s = signedIn();
        String id = s.user().id().toString();
        admin.post("/users/" + id + "/cards", Map.of("masked_pan", "440043******1234", "brand", "VISA", "expiry", "12/29"));

        Http.Response deleted = admin.delete("/users/" + id);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertError(admin.get("/users/" + id), 404, 100006);
        for (String table : List.of("token_pairs", "web_sessions", "consents", "auth_codes", "user_cards", "user_phones")) {
            assertThat(server.count("SELECT COUNT(*) FROM " + table + " WHERE user_id = ?", s.user().id())).as(table).isZero();
        }
        assertThat(server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback' AND task_instance = ?",
                "revoke:" + s.tokens().id())).isEqualTo(1);
        assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + s.tokens().accessToken()).status()).isEqualTo(401);
        assertThat(admin.event("action=admin.user.deleted&subject=" + id)).isNotNull();
        assertError(admin.delete("/users/" + id), 404, 100006);
    }

    @Test
    void cardsAreAttachedListedAndRemovedAndAFullCardNumberIsNeverStored() {
        String id = admin.post("/users", Map.of("phone", Flows.newPhone())).json().get("freedom_id").asText();
        Http.Response full = admin.post("/users/" + id + "/cards", Map.of("masked_pan", "4400 4312 3456 1234", "brand", "VISA",
                "expiry", "12/29"));
        assertError(full, 422, 100004);
        assertThat(full.body()).doesNotContain("4400 4312 3456 1234").doesNotContain("4400431234561234");
        assertThat(server.count("SELECT COUNT(*) FROM user_cards WHERE user_id = ?", UUID.fromString(id))).isZero();
        assertInvalid(admin.post("/users/" + id + "/cards", Map.of("masked_pan", "440043******1234", "brand", "VISA",
                "expiry", "12/29", "cvv", "123")), "cvv");
        assertInvalid(admin.post("/users/" + id + "/cards", Map.of("masked_pan", "440043******1234", "brand", "VISA",
                "expiry", "13/29")), "expiry");

        Http.Response attached = admin.post("/users/" + id + "/cards", Map.of("masked_pan", "440043******1234", "brand", "VISA",
                "expiry", "12/29"));
        assertThat(attached.status()).as(attached.body()).isEqualTo(201);
        String cardId = attached.json().get("id").asText();
        assertThat(admin.get("/users/" + id + "/cards").json().get("cards").get(0).get("masked_pan").asText())
                .isEqualTo("440043******1234");
        assertThat(admin.event("action=admin.card.attached&subject=" + id).toString()).contains("440043******1234");
        assertError(admin.post("/users/" + UUID.randomUUID() + "/cards", Map.of("masked_pan", "440043******1234",
                "brand", "VISA", "expiry", "12/29")), 404, 100006);

        assertThat(admin.delete("/users/" + id + "/cards/" + cardId).status()).isEqualTo(204);
        assertThat(admin.get("/users/" + id + "/cards").json().get("cards")).isEmpty();
        assertError(admin.delete("/users/" + id + "/cards/" + cardId), 404, 100006);
        assertThat(admin.event("action=admin.card.removed&subject=" + id)).isNotNull();
    }

    @Test
    void theUserEndpointsNeedTheAdminToken() {
        assertThat(server.http().get(AdminClient.API + "/users?phone=%2B77011111111", null).status()).isEqualTo(401);
        assertThat(server.http().get(AdminClient.API + "/users?phone=%2B77011111111", Http.bearer("wrong")).status()).isEqualTo(401);
    }
}
