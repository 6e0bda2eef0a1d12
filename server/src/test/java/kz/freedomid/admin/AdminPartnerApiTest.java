package kz.freedomid.admin;

import static kz.freedomid.testing.AdminClient.assertError;
import static kz.freedomid.testing.AdminClient.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.testing.AdminClient;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/api/v1/partners}: create, read, list, change, rotate the secret, disable and enable; each audited. */
class AdminPartnerApiTest {
    private static final String CALLBACK = "https://shop.example/cb";

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

    private static Map<String, Object> newPartner(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("redirect_uris", List.of(CALLBACK));
        body.put("grants", List.of("read.firstname", "read.phone", "openid"));
        return body;
    }

    private static JsonNode create(Map<String, Object> body) {
        Http.Response response = admin.post("/partners", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static Flows.TestPartner asTestPartner(JsonNode created, String secret) {
        return new Flows.TestPartner(created.get("client_id").asText(), secret, CALLBACK);
    }

    private static Http.Response authorize(String clientId, String secret, String redirectUri) {
        return server.http().json("POST", "/api/v1/oauth/authorize", Http.basic(clientId, secret),
                Map.of("redirect_uri", redirectUri, "grants", List.of("read.phone")));
    }

    @Test
    void createThenSecretShownOnceWorksAndTheStoredPartnerHasEverySetting() {
        Map<String, Object> body = newPartner("Kaspi Shop");
        body.put("revoke_uri", "https://shop.example/revoke");
        body.put("post_logout_redirect_uris", List.of("https://shop.example/bye"));
        body.put("backchannel_logout_uri", "https://shop.example/bcl");
        body.put("permissions", List.of("users:write"));
        body.put("id_token_alg", "ES256");
        body.put("access_ttl_seconds", 3600);
        body.put("refresh_ttl_seconds", 86400);

        JsonNode created = create(body);

        String clientId = created.get("client_id").asText();
        String secret = created.get("client_secret").asText();
        assertThat(secret).matches("[A-Za-z0-9]{64}");
        assertThat(authorize(clientId, secret, CALLBACK).status()).isEqualTo(200);
        JsonNode shown = admin.get("/partners/" + clientId).json();
        assertThat(shown.has("client_secret")).isFalse();
        assertThat(shown.toString()).doesNotContain(secret);
        assertThat(shown.get("name").asText()).isEqualTo("Kaspi Shop");
        assertThat(shown.get("status").asText()).isEqualTo("active");
        assertThat(shown.get("public").asBoolean()).isFalse();
        assertThat(texts(shown.get("grants"))).containsExactly("read.firstname", "read.phone", "openid");
        assertThat(texts(shown.get("redirect_uris"))).containsExactly(CALLBACK);
        assertThat(shown.get("revoke_uri").asText()).isEqualTo("https://shop.example/revoke");
        assertThat(texts(shown.get("post_logout_redirect_uris"))).containsExactly("https://shop.example/bye");
        assertThat(shown.get("backchannel_logout_uri").asText()).isEqualTo("https://shop.example/bcl");
        assertThat(texts(shown.get("permissions"))).containsExactly("users:write");
        assertThat(shown.get("id_token_alg").asText()).isEqualTo("ES256");
        assertThat(shown.get("access_ttl_seconds").asLong()).isEqualTo(3600);
        assertThat(shown.get("refresh_ttl_seconds").asLong()).isEqualTo(86400);
        assertThat(shown.get("profile_jwk").isNull()).isTrue();

        JsonNode event = admin.event("action=admin.partner.created&subject=" + clientId);
        assertThat(event.path("actor").path("kind").asText()).isEqualTo("admin");
        assertThat(event.path("client_ip").asText()).isNotBlank().isNotEqualTo("cli");
        assertThat(event.path("details").path("name").asText()).isEqualTo("Kaspi Shop");
        assertThat(event.toString()).doesNotContain(secret);
    }

    @Test
    void requirePushedAuthorizationRequestsIsSetAtCreationAndByPatch() {
        Map<String, Object> body = newPartner("PAR shop");
        body.put("require_pushed_authorization_requests", true);
        JsonNode created = create(body);
        String clientId = created.get("client_id").asText();
        assertThat(created.get("require_pushed_authorization_requests").asBoolean()).isTrue();
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().requirePushedRequests()).isTrue();

        Http.Response patched = admin.patch("/partners/" + clientId, Map.of("require_pushed_authorization_requests", false));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("require_pushed_authorization_requests").asBoolean()).isFalse();
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().requirePushedRequests()).isFalse();
        assertInvalid(admin.patch("/partners/" + clientId, Map.of("require_pushed_authorization_requests", "yes")),
                "require_pushed_authorization_requests");

        Map<String, Object> jwk = Map.of("kty", "EC", "crv", "P-256", "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
        Http.Response withJwks = admin.patch("/partners/" + clientId, Map.of("jwks", Map.of("keys", List.of(jwk))));
        assertThat(withJwks.status()).as(withJwks.body()).isEqualTo(200);
        assertThat(withJwks.json().path("jwks").path("keys").get(0).path("x").asText()).isEqualTo(jwk.get("x"));
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().jwks()).contains("P-256");
        Map<String, Object> privateJwk = new HashMap<>(jwk);
        privateJwk.put("d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI");
        assertInvalid(admin.patch("/partners/" + clientId, Map.of("jwks", Map.of("keys", List.of(privateJwk)))), "jwks");
    }

    @Test
    void deviceGrantIsSetAtCreationAndByPatch() {
        Map<String, Object> body = newPartner("TV app");
        body.put("device_grant", true);
        JsonNode created = create(body);
        String clientId = created.get("client_id").asText();
        assertThat(created.get("device_grant").asBoolean()).isTrue();
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().deviceGrant()).isTrue();

        Http.Response patched = admin.patch("/partners/" + clientId, Map.of("device_grant", false));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("device_grant").asBoolean()).isFalse();
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().deviceGrant()).isFalse();
        assertInvalid(admin.patch("/partners/" + clientId, Map.of("device_grant", "yes")), "device_grant");
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().deviceGrant()).isFalse();
    }

    @Test
    void clientSecretJwtIsChosenAtCreationAndByPatch() {
        Map<String, Object> body = newPartner("HMAC shop");
        body.put("token_endpoint_auth_method", "client_secret_jwt");
        JsonNode created = create(body);
        String clientId = created.get("client_id").asText();
        assertThat(created.get("token_endpoint_auth_method").asText()).isEqualTo("client_secret_jwt");
        assertThat(server.app.clientSecretJwt.enabled(UUID.fromString(clientId))).isTrue();

        Http.Response patched = admin.patch("/partners/" + clientId, Map.of("token_endpoint_auth_method", "client_secret_basic"));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("token_endpoint_auth_method").asText()).isEqualTo("client_secret_basic");
        assertThat(server.app.clientSecretJwt.enabled(UUID.fromString(clientId))).isFalse();
        assertInvalid(admin.patch("/partners/" + clientId, Map.of("token_endpoint_auth_method", "hmac")),
                "token_endpoint_auth_method");
        assertThat(server.app.clientSecretJwt.enabled(UUID.fromString(clientId))).isFalse();
    }

    @Test
    void createWhenPublicClientThenNoSecret() {
        Map<String, Object> body = newPartner("Mobile app");
        body.put("public", true);
        body.put("redirect_uris", List.of("kz.shop.app:/callback"));
        JsonNode created = create(body);
        assertThat(created.get("client_secret").isNull()).isTrue();
        assertThat(created.get("public").asBoolean()).isTrue();
        assertInvalid(admin.post("/partners/" + created.get("client_id").asText() + "/rotate-secret", null), "client_id");
    }

    @Test
    void createWhenInvalidThen422WithEveryFieldAndNothingStored() {
        long before = server.count("SELECT COUNT(*) FROM partners");
        assertInvalid(admin.post("/partners", Map.of()), "name", "redirect_uris", "grants");

        Map<String, Object> bad = new HashMap<>();
        bad.put("name", "");
        bad.put("redirect_uris", List.of(CALLBACK, "not a uri", "https://x.example/cb#fragment"));
        bad.put("grants", List.of("read.phone", "read.everything"));
        bad.put("revoke_uri", "ftp://shop.example/revoke");
        bad.put("permissions", List.of("root"));
        bad.put("id_token_alg", "HS256");
        bad.put("access_ttl_seconds", 5);
        bad.put("refresh_ttl_seconds", 400L * 24 * 3600);
        bad.put("colour", "blue");
        assertInvalid(admin.post("/partners", bad), "grants.1", "colour");
        bad.remove("colour");
        bad.put("grants", List.of("read.phone"));
        assertInvalid(admin.post("/partners", bad), "name", "redirect_uris.1", "redirect_uris.2", "revoke_uri",
                "permissions", "id_token_alg", "access_ttl_seconds", "refresh_ttl_seconds");

        Map<String, Object> wrongTypes = new HashMap<>();
        wrongTypes.put("name", 7);
        wrongTypes.put("redirect_uris", CALLBACK);
        wrongTypes.put("grants", List.of("read.phone", 3));
        wrongTypes.put("public", "yes");
        wrongTypes.put("access_ttl_seconds", "3600");
        wrongTypes.put("profile_jwk", "not an object");
        assertInvalid(admin.post("/partners", wrongTypes), "name", "redirect_uris", "grants.1", "public",
                "access_ttl_seconds", "profile_jwk");

        Map<String, Object> privateKey = newPartner("Private key");
        privateKey.put("profile_jwk", Map.of("kty", "EC", "crv", "P-256", "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"));
        assertInvalid(admin.post("/partners", privateKey), "profile_jwk");

        assertThat(server.count("SELECT COUNT(*) FROM partners")).isEqualTo(before);
    }

    @Test
    void createWhenBodyIsNotJsonThen400Or415() {
        Http http = server.http();
        String bearer = Http.bearer(AdminClient.TOKEN);
        assertError(http.send("POST", AdminClient.API + "/partners", bearer, "application/json",
                "{\"name\": ".getBytes(StandardCharsets.UTF_8)), 400, 100008);
        assertError(http.send("POST", AdminClient.API + "/partners", bearer, "application/json",
                "[1, 2]".getBytes(StandardCharsets.UTF_8)), 400, 100008);
        assertError(http.send("POST", AdminClient.API + "/partners", bearer, "text/plain",
                "name=x".getBytes(StandardCharsets.UTF_8)), 415, 100008);
    }

    @Test
    void showWhenUnknownOrMalformedIdThen404() {
        assertError(admin.get("/partners/" + UUID.randomUUID()), 404, 100006);
        assertError(admin.get("/partners/not-a-uuid"), 404, 100006);
        assertError(admin.patch("/partners/" + UUID.randomUUID(), Map.of("name", "X")), 404, 100006);
        assertError(admin.post("/partners/" + UUID.randomUUID() + "/disable", null), 404, 100006);
        assertError(admin.post("/partners/" + UUID.randomUUID() + "/rotate-secret", null), 404, 100006);
    }

    @Test
    void listPagesThroughEveryPartnerOnceInRegistrationOrderEvenWhenPartnersAreAddedMeanwhile() {
        for (int i = 0; i < 5; i++) create(newPartner("Paged " + i));
        List<String> all = ids(admin.get("/partners?limit=200").json().get("partners"));
        assertThat(admin.get("/partners").json().get("partners").size()).isEqualTo(Math.min(all.size(), 50));

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = admin.get("/partners?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.get("partners").size()).isLessThanOrEqualTo(2);
            paged.addAll(ids(page.get("partners")));
            if (pages++ == 0) {
                server.clock.advance(Duration.ofSeconds(1)); // registered later than all others: it comes last
                create(newPartner("Added while paging"));
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);

        assertThat(paged).doesNotHaveDuplicates();
        assertThat(paged.subList(0, all.size())).isEqualTo(all);
        assertThat(paged).hasSize(all.size() + 1);
    }

    @Test
    void listWhenLimitOrCursorInvalidThen422() {
        assertInvalid(admin.get("/partners?limit=201"), "limit");
        assertInvalid(admin.get("/partners?limit=0"), "limit");
        assertInvalid(admin.get("/partners?limit=ten"), "limit");
        assertInvalid(admin.get("/partners?cursor=bm90LWEtY3Vyc29y"), "cursor");
        assertThat(admin.get("/partners?limit=200").status()).isEqualTo(200);
        assertThat(admin.get("/partners?limit=1").status()).isEqualTo(200);
    }

    @Test
    void patchChangesOnlyWhatIsSentAndTheNewSettingsTakeEffect() {
        Map<String, Object> body = newPartner("Before");
        body.put("revoke_uri", "https://shop.example/revoke");
        JsonNode created = create(body);
        String clientId = created.get("client_id").asText();
        String secret = created.get("client_secret").asText();

        Map<String, Object> patch = new HashMap<>();
        patch.put("redirect_uris", List.of("https://shop.example/new-cb"));
        patch.put("grants", List.of("read.phone", "read.email"));
        patch.put("revoke_uri", null);
        patch.put("access_ttl_seconds", 600);
        Http.Response response = admin.patch("/partners/" + clientId, patch);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode updated = response.json();
        assertThat(updated.get("name").asText()).isEqualTo("Before");
        assertThat(texts(updated.get("redirect_uris"))).containsExactly("https://shop.example/new-cb");
        assertThat(texts(updated.get("grants"))).containsExactly("read.phone", "read.email");
        assertThat(updated.get("revoke_uri").isNull()).isTrue();
        assertThat(updated.get("access_ttl_seconds").asLong()).isEqualTo(600);
        assertThat(admin.get("/partners/" + clientId).json()).isEqualTo(updated);
        // The old redirect URI is refused at once, the new one works, and new tokens live 10 minutes.
        assertThat(authorize(clientId, secret, CALLBACK).status()).isEqualTo(422);
        assertThat(authorize(clientId, secret, "https://shop.example/new-cb").status()).isEqualTo(200);
        var partner = new Flows.TestPartner(clientId, secret, "https://shop.example/new-cb");
        Http.Response pair = server.http().json("POST", "/api/v1/oauth/token", partner.basic(),
                Map.of("authorization_code", Flows.codeFrom(server, partner, List.of("read.phone"))));
        assertThat(Instant.parse(pair.json().get("access_expire_at").asText()))
                .isEqualTo(server.clock.instant().truncatedTo(ChronoUnit.MICROS).plus(Duration.ofMinutes(10)));

        JsonNode event = admin.event("action=admin.partner.updated&subject=" + clientId);
        JsonNode changed = event.path("details").path("changed");
        List<String> fields = new ArrayList<>();
        changed.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("redirect_uris", "grants", "revoke_uri", "access_ttl_seconds");
        assertThat(changed.get("revoke_uri").isNull()).isTrue();
        assertThat(changed.get("access_ttl_seconds").asLong()).isEqualTo(600);
    }

    @Test
    void patchWhenInvalidThen422AndNothingChanges() {
        JsonNode created = create(newPartner("Unchanged"));
        String clientId = created.get("client_id").asText();
        JsonNode before = admin.get("/partners/" + clientId).json();

        assertInvalid(admin.patch("/partners/" + clientId, Map.of("redirect_uris", List.of("https://ok.example/cb", "nope"),
                "grants", List.of(), "refresh_ttl_seconds", 1)), "redirect_uris.1", "grants", "refresh_ttl_seconds");
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("name", null);
        nulls.put("grants", null);
        nulls.put("public", true);
        assertInvalid(admin.patch("/partners/" + clientId, nulls), "name", "grants", "public");
        assertError(server.http().send("PATCH", AdminClient.API + "/partners/" + clientId, Http.bearer(AdminClient.TOKEN),
                "application/json", "{".getBytes(StandardCharsets.UTF_8)), 400, 100008);

        assertThat(admin.get("/partners/" + clientId).json()).isEqualTo(before);
        assertThat(admin.events("action=admin.partner.updated&subject=" + clientId)).isEmpty();
    }

    @Test
    void rotateSecretThenOldSecretFailsAtOnceAndNewOneWorks() {
        JsonNode created = create(newPartner("Rotating"));
        String clientId = created.get("client_id").asText();
        String old = created.get("client_secret").asText();

        Http.Response rotated = admin.post("/partners/" + clientId + "/rotate-secret", null);

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String fresh = rotated.json().get("client_secret").asText();
        assertThat(fresh).matches("[A-Za-z0-9]{64}").isNotEqualTo(old);
        assertThat(rotated.json().get("client_id").asText()).isEqualTo(clientId);
        assertError(authorize(clientId, old, CALLBACK), 401, 100001);
        assertThat(authorize(clientId, fresh, CALLBACK).status()).isEqualTo(200);
        JsonNode event = admin.event("action=admin.partner.secret_rotated&subject=" + clientId);
        assertThat(event.toString()).doesNotContain(fresh).doesNotContain(old);
        assertInvalid(admin.post("/partners/" + clientId + "/rotate-secret", Map.of("secret", "mine")), "secret");
    }

    @Test
    void disableThenExistingTokensAndClientAuthStopAtOnceAndEnableRestoresThem() {
        JsonNode created = create(newPartner("Disabled soon"));
        String clientId = created.get("client_id").asText();
        String secret = created.get("client_secret").asText();
        Flows.TestPartner partner = asTestPartner(created, secret);
        Flows.Tokens tokens = Flows.exchange(server, partner, Flows.codeFrom(server, partner, List.of("read.phone")));
        assertThat(userInfo(tokens.accessToken()).status()).isEqualTo(200);

        Http.Response disabled = admin.post("/partners/" + clientId + "/disable", Map.of());

        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().get("status").asText()).isEqualTo("disabled");
        assertError(userInfo(tokens.accessToken()), 401, 100002);
        assertError(server.http().send("PATCH", "/api/v1/oauth/token", Http.bearer(tokens.refreshToken()), null, null), 401, 100104);
        assertError(authorize(clientId, secret, CALLBACK), 401, 100001);
        Http.Response oidcToken = server.http().send("POST", "/api/v1/oidc/token", Http.basic(clientId, secret),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        assertThat(oidcToken.status()).isEqualTo(401);
        assertThat(oidcToken.json().get("error").asText()).isEqualTo("invalid_client");

        Http.Response enabled = admin.post("/partners/" + clientId + "/enable", null);
        assertThat(enabled.json().get("status").asText()).isEqualTo("active");
        assertThat(userInfo(tokens.accessToken()).status()).isEqualTo(200);
        assertThat(authorize(clientId, secret, CALLBACK).status()).isEqualTo(200);

        assertThat(admin.event("action=admin.partner.disabled&subject=" + clientId).path("details")
                .path("previous_status").asText()).isEqualTo("active");
        assertThat(admin.event("action=admin.partner.enabled&subject=" + clientId).path("details")
                .path("previous_status").asText()).isEqualTo("disabled");
    }

    private static Http.Response userInfo(String accessToken) {
        return server.http().get("/api/v1/oauth/user", Http.bearer(accessToken));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> ids(JsonNode partners) {
        List<String> out = new ArrayList<>();
        partners.forEach(p -> out.add(p.get("client_id").asText()));
        return out;
    }
}
