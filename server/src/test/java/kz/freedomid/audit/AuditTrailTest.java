package kz.freedomid.audit;

import static kz.freedomid.testing.AdminClient.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.AdminClient;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-ins, consents and the life of tokens leave audit events, readable through {@code GET /admin/api/v1/audit} with
 * its filters, and never holding a secret.
 */
class AuditTrailTest {
    static TestServer server;
    static AdminClient admin;
    static Flows.TestPartner partner;
    /** Every secret the flows below handle; none may appear in the audit table. */
    static final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = AdminClient.server(Map.of());
        admin = new AdminClient(server);
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE);
        secrets.add(partner.secret());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void signInWithCodeThenRegisteredSignedInAndConsentedAreRecordedOnceEach() {
        String phone = Flows.newPhone();
        Browser browser = server.browser();
        String location = Flows.approvedRedirect(server, browser, link(), phone);
        secrets.add(Flows.query(location).get("authorization_code"));
        secrets.add(server.outbox(phone).get(0).code());
        String userId = server.app.users.findByPhone(phone).orElseThrow().id().toString();

        JsonNode registered = admin.event("action=user.registered&subject=" + userId);
        assertThat(registered.path("actor").path("id").asText()).isEqualTo(userId);
        JsonNode success = admin.event("action=signin.success&subject=" + userId);
        assertThat(success.path("actor").path("kind").asText()).isEqualTo("user");
        assertThat(success.path("details").path("method").asText()).isEqualTo("sms");
        assertThat(success.path("details").path("client_id").asText()).isEqualTo(partner.clientId());
        assertThat(success.path("client_ip").asText()).isNotBlank();
        JsonNode consent = admin.event("action=consent.granted&actor=user:" + userId);
        assertThat(consent.path("subject").asText()).isEqualTo(partner.clientId());
        assertThat(texts(consent.path("details").path("grants"))).containsExactlyInAnyOrder("read.firstname", "read.phone");

        // The same browser, still signed in, with the consent remembered: sent straight back, nothing new to record.
        Browser.Page again = browser.get(link());
        assertThat(again.status()).as(again.body()).isEqualTo(303);
        assertThat(again.location()).contains("authorization_code=");
        assertThat(admin.events("action=signin.success&subject=" + userId)).hasSize(1);
        assertThat(admin.events("action=consent.granted&actor=user:" + userId)).hasSize(1);
    }

    @Test
    void signInFailuresAreRecordedWithReasonAndMaskedPhoneNeverTheCodeOrPassword() {
        var user = Flows.user(server, "right-password-7");
        secrets.add("right-password-7");
        Browser browser = server.browser();
        Browser.Page passwordPage = browser.submit(browser.get(link()), "/login/phone",
                Map.of("phone", user.phone(), "method", "password"));
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "wrong-password-7")).status())
                .isEqualTo(401);
        secrets.add("wrong-password-7");

        JsonNode wrongPassword = admin.event("action=signin.failure&subject=" + user.id());
        assertThat(wrongPassword.path("actor").path("id").asText()).isEqualTo(user.id().toString());
        assertThat(wrongPassword.path("details").path("method").asText()).isEqualTo("password");
        assertThat(wrongPassword.path("details").path("reason").asText()).isEqualTo("wrong_password");
        assertThat(wrongPassword.path("details").path("phone").asText())
                .startsWith(user.phone().substring(0, 5)).endsWith(user.phone().substring(user.phone().length() - 2))
                .contains("*").isNotEqualTo(user.phone());

        String stranger = Flows.newPhone();
        Browser other = server.browser();
        Browser.Page codePage = other.submit(other.get(link()), "/login/phone", Map.of("phone", stranger, "method", "otp"));
        String code = server.outbox(stranger).get(0).code();
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        assertThat(other.submit(codePage, "/login/code", Map.of("code", wrong)).status()).isEqualTo(422);
        secrets.add(code);

        JsonNode wrongCode = admin.events("action=signin.failure").stream()
                .filter(e -> e.path("details").path("reason").asText().equals("wrong_code")).findFirst().orElseThrow();
        assertThat(wrongCode.path("subject").isNull()).isTrue(); // the phone belongs to nobody yet
        assertThat(wrongCode.path("details").path("method").asText()).isEqualTo("sms");
        assertThat(wrongCode.toString()).doesNotContain(stranger).doesNotContain(wrong);
    }

    @Test
    void tokenIssueRefreshAndReuseAreRecordedWithThePairIds() {
        String code = Flows.codeFrom(server, partner, List.of("read.phone"));
        Flows.Tokens first = Flows.exchange(server, partner, code);
        Http.Response refreshed = server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(first.refreshToken()), null, null);
        assertThat(refreshed.status()).isEqualTo(200);
        String secondId = refreshed.json().get("id").asText();
        Http.Response reuse = server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(first.refreshToken()), null, null);
        assertThat(reuse.status()).isEqualTo(401);
        secrets.addAll(List.of(code, first.accessToken(), first.refreshToken(), refreshed.json().get("access_token").asText(),
                refreshed.json().get("refresh_token").asText()));

        JsonNode issued = admin.events("action=token.issued&actor=partner:" + partner.clientId()).stream()
                .filter(e -> e.path("details").path("pair_id").asText().equals(first.id())).findFirst().orElseThrow();
        assertThat(issued.path("details").path("grant_type").asText()).isEqualTo("authorization_code");
        String userId = issued.path("subject").asText();
        String grantId = issued.path("details").path("grant_id").asText();
        JsonNode rotated = admin.event("action=token.refreshed&subject=" + userId);
        assertThat(rotated.path("details").path("pair_id").asText()).isEqualTo(secondId);
        assertThat(rotated.path("details").path("previous_pair_id").asText()).isEqualTo(first.id());
        JsonNode reused = admin.event("action=token.reuse_detected&subject=" + userId);
        assertThat(reused.path("actor").path("id").asText()).isEqualTo(partner.clientId());
        assertThat(reused.path("details").path("presented").asText()).isEqualTo("refresh_token");
        assertThat(reused.path("details").path("grant_id").asText()).isEqualTo(grantId);
        assertThat(reused.path("details").path("pairs_revoked").asInt()).isEqualTo(1);
    }

    @Test
    void revocationAndServiceTokensAreRecorded() {
        var registered = server.app.partners.register(new PartnerService.NewPartner("Service RP",
                List.of("https://rp.example/cb"), Set.of(Grant.READ_PHONE, Grant.OPENID), null,
                new ClientSettings(false, List.of(), null, Set.of("users:write"), "RS256")));
        String clientId = registered.partner().clientId().toString();
        String secret = registered.clientSecret();
        secrets.add(secret);

        Http.Response service = form("/api/v1/oidc/token", clientId, secret, "grant_type=client_credentials");
        assertThat(service.status()).as(service.body()).isEqualTo(200);
        String serviceToken = service.json().get("access_token").asText();
        secrets.add(serviceToken);
        JsonNode issued = admin.event("action=token.issued&actor=partner:" + clientId);
        assertThat(issued.path("subject").asText()).isEqualTo(clientId);
        assertThat(issued.path("details").path("grant_type").asText()).isEqualTo("client_credentials");
        assertThat(texts(issued.path("details").path("permissions"))).containsExactly("users:write");

        assertThat(form("/api/v1/oidc/revoke", clientId, secret, "token=" + serviceToken).status()).isEqualTo(200);
        JsonNode revoked = admin.event("action=token.revoked&actor=partner:" + clientId);
        assertThat(revoked.path("details").path("pair_id").asText()).isEqualTo(issued.path("details").path("pair_id").asText());
        assertThat(revoked.path("details").path("token_type").asText()).isEqualTo("access_token");
        // Revoking it again changes nothing and records nothing.
        assertThat(form("/api/v1/oidc/revoke", clientId, secret, "token=" + serviceToken).status()).isEqualTo(200);
        assertThat(admin.events("action=token.revoked&actor=partner:" + clientId)).hasSize(1);
    }

    @Test
    void filtersAndPagingReturnNewestFirst() {
        server.clock.advance(Duration.ofSeconds(1));
        Instant since = server.clock.instant();
        Flows.exchange(server, partner, Flows.codeFrom(server, partner, List.of("read.phone")));
        server.clock.advance(Duration.ofSeconds(1));
        Flows.exchange(server, partner, Flows.codeFrom(server, partner, List.of("read.phone")));
        Instant until = server.clock.instant().plusMillis(1);

        List<JsonNode> window = admin.events("action=token.*&since=" + since + "&until=" + until);
        assertThat(window).hasSize(2).allSatisfy(e -> assertThat(e.path("action").asText()).isEqualTo("token.issued"));
        assertThat(Instant.parse(window.get(0).path("time").asText())).isAfter(Instant.parse(window.get(1).path("time").asText()));

        List<JsonNode> all = admin.events("limit=200");
        List<JsonNode> oneByOne = admin.events("limit=1");
        assertThat(ids(oneByOne)).isEqualTo(ids(all));
        for (int i = 1; i < all.size(); i++) {
            assertThat(Instant.parse(all.get(i - 1).path("time").asText()))
                    .isAfterOrEqualTo(Instant.parse(all.get(i).path("time").asText()));
        }
        assertThat(admin.events("actor=partner:" + partner.clientId())).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("actor").path("id").asText()).isEqualTo(partner.clientId()));
        assertThat(admin.events("actor=system&action=admin.*")).isEmpty();
    }

    @Test
    void filtersWhenInvalidThen422() {
        assertInvalid(admin.get("/audit?limit=201"), "limit");
        assertInvalid(admin.get("/audit?actor=robot"), "actor");
        assertInvalid(admin.get("/audit?action=Token!"), "action");
        assertInvalid(admin.get("/audit?since=yesterday&until=2020-01-01"), "since", "until");
        assertInvalid(admin.get("/audit?since=2025-01-02T00:00:00Z&until=2025-01-01T00:00:00Z"), "until");
        assertInvalid(admin.get("/audit?cursor=x"), "cursor");
    }

    /** Runs last in spirit: whatever ran before, no secret any flow handled reached the table. */
    @Test
    void auditTableNeverHoldsASecret() {
        signInWithCodeThenRegisteredSignedInAndConsentedAreRecordedOnceEach();
        tokenIssueRefreshAndReuseAreRecordedWithThePairIds();
        String table = server.app.database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT actor_kind, actor_id, action, subject, client_ip, details FROM audit_events")
                .mapToMap().list().toString());
        assertThat(table).contains("token.issued");
        for (String secret : secrets) {
            assertThat(table).doesNotContain(secret);
        }
    }

    private static String link() {
        return Flows.loginLink(server, partner, List.of("read.firstname", "read.phone"), null);
    }

    private static Http.Response form(String path, String clientId, String secret, String body) {
        return server.http().send("POST", path, Http.basic(clientId, secret), "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }
}
