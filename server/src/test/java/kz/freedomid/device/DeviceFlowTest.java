package kz.freedomid.device;

import static kz.freedomid.oidc.OidcTestSupport.assertOAuthError;
import static kz.freedomid.oidc.OidcTestSupport.postForm;
import static kz.freedomid.oidc.OidcTestSupport.verifyIdToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.oidc.OidcTestSupport.Client;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device authorization grant over HTTP (RFC 8628): the endpoint, the {@code /device} page and the token polls. */
class DeviceFlowTest {
    static final String DEVICE = "/api/v1/oidc/device";
    static final String TOKEN = "/api/v1/oidc/token";
    static TestServer server;
    static Client client;
    static Client publicClient;
    static Client notAllowed;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = deviceClient(false);
        publicClient = deviceClient(true);
        notAllowed = OidcTestSupport.confidential(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Client deviceClient(boolean isPublic) {
        ClientSettings settings = OidcTestSupport.settings(isPublic, Set.of(), "RS256").withDeviceGrant(true);
        return OidcTestSupport.register(server, OidcTestSupport.GRANTS, settings);
    }

    static Http.Response authorize(Client c, Map<String, String> params) {
        return postForm(server, DEVICE, c.secret() == null ? null : c.basic(), params);
    }

    static JsonNode started(Client c, String scope) {
        Http.Response response = authorize(c, c.secret() == null ? Map.of("client_id", c.clientId(), "scope", scope)
                : Map.of("scope", scope));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        return response.json();
    }

    static Http.Response poll(Client c, String deviceCode) {
        Map<String, String> params = c.secret() == null
                ? Map.of("grant_type", DeviceFlow.GRANT_TYPE, "device_code", deviceCode, "client_id", c.clientId())
                : Map.of("grant_type", DeviceFlow.GRANT_TYPE, "device_code", deviceCode);
        return postForm(server, TOKEN, c.secret() == null ? null : c.basic(), params);
    }

    /** A browser signed in as {@code user} through /device, back on the code form (prefilled with {@code userCode}). */
    static Browser.Page signedInAtDevice(Browser browser, User user, String userCode) {
        Browser.Page toLogin = browser.get("/device?user_code=" + userCode);
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        assertThat(toLogin.location()).startsWith("/login?track_id=");
        Browser.Page back = Flows.signInWithCode(server, browser, toLogin.location(), user.phone());
        assertThat(back.status()).as(back.body()).isEqualTo(303);
        assertThat(back.location()).startsWith("/device");
        Browser.Page form = browser.follow(back);
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        return form;
    }

    static Browser.Page confirm(Browser browser, Browser.Page form, String typed) {
        return browser.submit(form, "/device", Map.of("user_code", typed));
    }

    static long rows() {
        return server.count("SELECT COUNT(*) FROM device_authorizations");
    }

    static long pairs() {
        return server.count("SELECT COUNT(*) FROM token_pairs");
    }

    @Test
    void deviceWhenUserApprovesThenPollGetsTokensOnceBoundToTheSession() {
        JsonNode start = started(client, "openid read.firstname read.phone");
        String deviceCode = start.path("device_code").asText();
        String userCode = start.path("user_code").asText();
        assertThat(userCode).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(deviceCode).matches("[A-Za-z0-9]{43}");
        assertThat(start.path("verification_uri").asText()).isEqualTo(server.app.config.issuer() + "/device");
        assertThat(start.path("verification_uri_complete").asText())
                .isEqualTo(server.app.config.issuer() + "/device?user_code=" + userCode);
        assertThat(start.path("expires_in").asInt()).isEqualTo(600);
        assertThat(start.path("interval").asInt()).isEqualTo(5);
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE device_code_hash = ? OR user_code_hash = ?",
                deviceCode, userCode)).as("neither code is stored as it is").isZero();

        assertOAuthError(poll(client, deviceCode), 400, "authorization_pending");

        User user = Flows.user(server, null);
        Browser browser = server.browser();
        Browser.Page form = signedInAtDevice(browser, user, userCode);
        assertThat(form.document().selectFirst("input[name=user_code]").attr("value")).isEqualTo(userCode);
        // Typed in lower case and without the dash: the same code.
        Browser.Page confirm = confirm(browser, form, userCode.toLowerCase().replace("-", " "));
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.document().selectFirst("#partner-name").text()).isEqualTo("OIDC RP");
        assertThat(confirm.document().selectFirst("#user-code").text()).isEqualTo(userCode);
        assertThat(confirm.text()).contains("First name").contains("Phone number");
        Browser.Page done = browser.submit(confirm, "/device/decision", Map.of("decision", "approve"));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.location()).isEqualTo("/device?done=approved");
        assertThat(browser.follow(done).text()).contains("The device is connected");

        server.clock.advance(Duration.ofSeconds(5));
        Http.Response tokens = poll(client, deviceCode);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = tokens.json();
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("access_token").asText()).matches("[A-Za-z0-9]{128}");
        assertThat(body.path("refresh_token").asText()).matches("[A-Za-z0-9]{128}");
        assertThat(body.path("scope").asText().split(" ")).containsExactlyInAnyOrder("openid", "read.firstname", "read.phone");
        var claims = verifyIdToken(server, body.path("id_token").asText());
        assertThat(claims.getSubject()).isEqualTo(user.id().toString());
        assertThat(claims.getAudience()).containsExactly(client.clientId());
        Http.Response userinfo = OidcTestSupport.userinfo(server, body.path("access_token").asText());
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        assertThat(userinfo.json().path("phone_number").asText()).isEqualTo(user.phone());
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE user_id = ? AND session_id IS NOT NULL", user.id()))
                .isEqualTo(1);

        // Single use: the device code bought its tokens.
        long pairsBefore = pairs();
        server.clock.advance(Duration.ofSeconds(5));
        assertOAuthError(poll(client, deviceCode), 400, "invalid_grant");
        assertThat(pairs()).isEqualTo(pairsBefore);
        // The code cannot be approved again either.
        Browser.Page again = browser.post("/device", Map.of("csrf", form.document().selectFirst("input[name=csrf]").attr("value"),
                "user_code", userCode));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.text()).contains("already been used");

        // Ending the session that approved revokes the device's tokens like any other pair of the session.
        Browser.Page account = browser.get("/account");
        assertThat(account.status()).as(account.body()).isEqualTo(200);
        assertThat(browser.submit(account, "/account/logout", Map.of()).status()).isEqualTo(200);
        assertThat(OidcTestSupport.userinfo(server, body.path("access_token").asText()).status()).isEqualTo(401);
    }

    @Test
    void pollWhenTooFastThenSlowDownAddsFiveSecondsAndNothingIsIssued() {
        String deviceCode = started(client, "openid").path("device_code").asText();
        long pairsBefore = pairs();
        assertOAuthError(poll(client, deviceCode), 400, "authorization_pending");
        server.clock.advance(Duration.ofSeconds(2));
        assertOAuthError(poll(client, deviceCode), 400, "slow_down");
        assertThat(server.count("SELECT interval_seconds FROM device_authorizations WHERE device_code_hash = ?",
                kz.freedomid.platform.Secrets.sha256(deviceCode))).isEqualTo(10);
        server.clock.advance(Duration.ofSeconds(6));
        assertOAuthError(poll(client, deviceCode), 400, "slow_down"); // 6 s < the new 10 s: slower still
        server.clock.advance(Duration.ofSeconds(16));
        assertOAuthError(poll(client, deviceCode), 400, "authorization_pending");
        assertThat(pairs()).isEqualTo(pairsBefore);
    }

    @Test
    void deviceWhenUserDeniesThenAccessDeniedAndNoTokens() {
        JsonNode start = started(client, "openid read.firstname");
        Browser browser = server.browser();
        Browser.Page confirm = confirm(browser, signedInAtDevice(browser, Flows.user(server, null), start.path("user_code").asText()),
                start.path("user_code").asText());
        Browser.Page done = browser.submit(confirm, "/device/decision", Map.of("decision", "deny"));
        assertThat(done.location()).isEqualTo("/device?done=denied");
        assertThat(browser.follow(done).text()).contains("You denied access");
        long pairsBefore = pairs();
        assertOAuthError(poll(client, start.path("device_code").asText()), 400, "access_denied");
        assertThat(pairs()).isEqualTo(pairsBefore);
    }

    @Test
    void pollWithADPoPProofGetsTokensBoundToTheDevicesKey() throws Exception {
        JsonNode start = started(client, "openid read.firstname");
        Browser browser = server.browser();
        String userCode = start.path("user_code").asText();
        Browser.Page confirm = confirm(browser, signedInAtDevice(browser, Flows.user(server, null), userCode), userCode);
        assertThat(browser.submit(confirm, "/device/decision", Map.of("decision", "approve")).status()).isEqualTo(303);
        server.clock.advance(Duration.ofSeconds(5));

        var key = kz.freedomid.dpop.Proofs.es256();
        String proof = key.proof("POST", server.app.config.issuer() + TOKEN, server.clock.instant(), null, null);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl + TOKEN))
                .header("Authorization", client.basic()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", proof)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=" + java.net.URLEncoder.encode(
                        DeviceFlow.GRANT_TYPE, java.nio.charset.StandardCharsets.UTF_8) + "&device_code="
                        + start.path("device_code").asText())).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = kz.freedomid.platform.Json.MAPPER.readTree(response.body());
        assertThat(body.path("token_type").asText()).isEqualTo("DPoP");
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE dpop_jkt = ?", key.jkt())).isEqualTo(1);
        // Bound to the key: the same token as a bearer token is refused.
        assertThat(OidcTestSupport.userinfo(server, body.path("access_token").asText()).status()).isEqualTo(401);
    }

    @Test
    void deviceWhenTheApprovingSessionEndedBeforeThePollThenAccessDeniedAndNoTokens() {
        JsonNode start = started(client, "openid read.firstname");
        Browser browser = server.browser();
        String userCode = start.path("user_code").asText();
        Browser.Page confirm = confirm(browser, signedInAtDevice(browser, Flows.user(server, null), userCode), userCode);
        assertThat(browser.submit(confirm, "/device/decision", Map.of("decision", "approve")).status()).isEqualTo(303);
        Browser.Page account = browser.get("/account");
        assertThat(browser.submit(account, "/account/logout", Map.of()).status()).isEqualTo(200);

        long pairsBefore = pairs();
        server.clock.advance(Duration.ofSeconds(5));
        assertOAuthError(poll(client, start.path("device_code").asText()), 400, "access_denied");
        assertThat(pairs()).as("nothing would revoke a pair bound to a session that has ended").isEqualTo(pairsBefore);
    }

    @Test
    void deviceWhenExpiredThenExpiredTokenAndThePageSaysSo() {
        JsonNode start = started(client, "openid");
        String userCode = start.path("user_code").asText();
        Browser browser = server.browser();
        Browser.Page form = signedInAtDevice(browser, Flows.user(server, null), userCode);
        server.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        Browser.Page expired = confirm(browser, form, userCode);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.text()).contains("This code has expired");
        assertThat(expired.document().selectFirst("form[action=/device/decision]")).isNull();
        assertOAuthError(poll(client, start.path("device_code").asText()), 400, "expired_token");
        // The recurring job (and nothing else) forgets it later.
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE device_code_hash = ?",
                kz.freedomid.platform.Secrets.sha256(start.path("device_code").asText()))).isEqualTo(1);
        assertThat(server.app.devices.cleanup()).isGreaterThanOrEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE device_code_hash = ?",
                kz.freedomid.platform.Secrets.sha256(start.path("device_code").asText()))).isZero();
    }

    @Test
    void pageWhenCodeUnknownOrMalformedThenErrorAndNothingChanges() {
        started(client, "openid");
        Browser browser = server.browser();
        Browser.Page form = signedInAtDevice(browser, Flows.user(server, null), "");
        long before = server.count("SELECT COUNT(*) FROM device_authorizations WHERE status = 'pending'");
        Browser.Page unknown = confirm(browser, form, "BCDF-GHJK");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("No device is waiting for this code");
        Browser.Page malformed = confirm(browser, form, "AEIO-0000");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text()).contains("eight letters");
        Browser.Page decision = browser.submit(form, "/device", Map.of("user_code", "x".repeat(5000)));
        assertThat(decision.status()).isEqualTo(400);
        Browser.Page forgedDecision = browser.post("/device/decision", Map.of("csrf",
                form.document().selectFirst("input[name=csrf]").attr("value"), "user_code", "BCDF-GHJK", "decision", "approve"));
        assertThat(forgedDecision.status()).isEqualTo(400);
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE status = 'pending'")).isEqualTo(before);
    }

    @Test
    void pageWhenCsrfMissingOrNotSignedInThenNothingIsDecided() {
        JsonNode start = started(client, "openid");
        String userCode = start.path("user_code").asText();
        Browser browser = server.browser();
        signedInAtDevice(browser, Flows.user(server, null), userCode);
        Browser.Page forged = browser.post("/device/decision", Map.of("csrf", "forged", "user_code", userCode, "decision", "approve"));
        assertThat(forged.status()).isEqualTo(403);
        Browser.Page anonymous = server.browser().post("/device/decision", Map.of("user_code", userCode, "decision", "approve"));
        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE status <> 'pending' AND device_code_hash = ?",
                kz.freedomid.platform.Secrets.sha256(start.path("device_code").asText()))).isZero();
        assertOAuthError(poll(client, start.path("device_code").asText()), 400, "authorization_pending");
    }

    @Test
    void publicClientWithClientIdAloneStartsAndPolls() {
        JsonNode start = started(publicClient, "openid read.firstname");
        Browser browser = server.browser();
        Browser.Page confirm = confirm(browser, signedInAtDevice(browser, Flows.user(server, null), start.path("user_code").asText()),
                start.path("user_code").asText());
        assertThat(browser.submit(confirm, "/device/decision", Map.of("decision", "approve")).status()).isEqualTo(303);
        Http.Response tokens = poll(publicClient, start.path("device_code").asText());
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json().has("id_token")).isTrue();
    }

    @Test
    void scopeWithoutOpenidGetsNoIdToken() {
        JsonNode start = started(client, "read.firstname");
        Browser browser = server.browser();
        Browser.Page confirm = confirm(browser, signedInAtDevice(browser, Flows.user(server, null), start.path("user_code").asText()),
                start.path("user_code").asText());
        browser.submit(confirm, "/device/decision", Map.of("decision", "approve"));
        Http.Response tokens = poll(client, start.path("device_code").asText());
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json().has("id_token")).isFalse();
        assertThat(tokens.json().path("scope").asText()).isEqualTo("read.firstname");
    }

    @Test
    void deviceRequestWhenClientNotAllowedOrBadScopeOrBadAuthThenStandardErrorAndNoRow() {
        long before = rows();
        assertOAuthError(authorize(notAllowed, Map.of("scope", "openid")), 400, "unauthorized_client");
        assertOAuthError(authorize(client, Map.of("scope", "openid read.cards")), 400, "invalid_scope");
        assertOAuthError(authorize(client, Map.of("scope", "openid write.everything")), 400, "invalid_scope");
        assertOAuthError(authorize(client, Map.of()), 400, "invalid_scope");
        assertOAuthError(postForm(server, DEVICE, Http.basic(client.clientId(), "wrong"), Map.of("scope", "openid")), 401,
                "invalid_client");
        assertOAuthError(postForm(server, DEVICE, null, Map.of("client_id", client.clientId(), "scope", "openid")), 401,
                "invalid_client");
        assertOAuthError(postForm(server, DEVICE, client.basic(), "scope=openid&scope=openid"), 400, "invalid_request");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void pollWhenCodeUnknownOrAnotherClientsOrClientNotAllowedThenErrorAndNothingChanges() {
        String deviceCode = started(client, "openid").path("device_code").asText();
        String hash = kz.freedomid.platform.Secrets.sha256(deviceCode);
        assertOAuthError(poll(client, "x".repeat(43)), 400, "invalid_grant");
        assertOAuthError(poll(client, "short"), 400, "invalid_grant");
        assertOAuthError(poll(publicClient, deviceCode), 400, "invalid_grant");
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE device_code_hash = ? AND last_polled_at IS NULL",
                hash)).as("another client's poll is not recorded").isEqualTo(1);
        assertOAuthError(poll(notAllowed, deviceCode), 400, "unauthorized_client");
        assertOAuthError(postForm(server, TOKEN, client.basic(), Map.of("grant_type", DeviceFlow.GRANT_TYPE)), 400,
                "invalid_request");
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE device_code_hash = ? AND status = 'pending'",
                hash)).isEqualTo(1);
    }

    @Test
    void discoveryAdvertisesTheEndpointAndTheGrant() {
        JsonNode discovery = server.http().get("/.well-known/openid-configuration", null).json();
        assertThat(discovery.path("device_authorization_endpoint").asText())
                .isEqualTo(server.app.config.issuer() + "/api/v1/oidc/device");
        assertThat(discovery.path("grant_types_supported").toString()).contains(DeviceFlow.GRANT_TYPE);
    }

    @Test
    void pagesAreLocalized() {
        JsonNode start = started(client, "openid read.firstname");
        Browser browser = server.browser().acceptLanguage("kk");
        Browser.Page form = signedInAtDevice(browser, Flows.user(server, null), start.path("user_code").asText());
        assertThat(form.text()).contains("Құрылғыны қосу");
        Browser.Page confirm = confirm(browser, form, start.path("user_code").asText());
        assertThat(confirm.text()).contains("Бұл құрылғыны қосу керек пе?");
        Browser ru = server.browser().acceptLanguage("ru");
        Browser.Page ruForm = signedInAtDevice(ru, Flows.user(server, null), "");
        assertThat(ruForm.text()).contains("Подключение устройства");
        assertThat(List.of(form.document().selectFirst("html").attr("lang"), ruForm.document().selectFirst("html").attr("lang")))
                .containsExactly("kk", "ru");
    }
}
