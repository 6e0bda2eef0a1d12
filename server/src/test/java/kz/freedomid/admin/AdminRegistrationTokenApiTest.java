package kz.freedomid.admin;

import static kz.freedomid.testing.AdminClient.assertError;
import static kz.freedomid.testing.AdminClient.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.platform.Config;
import kz.freedomid.testing.AdminClient;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/api/v1/registration-tokens}, and the registration policy set in the environment: this server lets
 * registered clients use client_credentials and only the scopes openid and read.phone. Also an operator's partner with
 * a jwks_uri.
 */
class AdminRegistrationTokenApiTest {
    static TestServer server;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        server = AdminClient.server(Map.of("FREEDOM_ID_REGISTRATION_GRANT_TYPES", "authorization_code,client_credentials",
                "FREEDOM_ID_REGISTRATION_SCOPES", "openid read.phone"));
        admin = new AdminClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response register(String token, Map<String, Object> body) {
        return server.http().json("POST", "/api/v1/oidc/register", Http.bearer(token), body);
    }

    @Test
    void createListRevokeWithTheAdminTokenAndEachAudited() {
        Http.Response created = admin.post("/registration-tokens", Map.of("expires_in_seconds", 3600, "max_uses", 3, "note", "acme"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().path("token").asText();
        String id = created.json().path("id").asText();
        assertThat(token).hasSize(64);
        assertThat(created.json().path("status").asText()).isEqualTo("active");
        assertThat(register(token, Map.of("redirect_uris", List.of("https://rp.example/cb"))).status()).isEqualTo(201);

        Http.Response listed = admin.get("/registration-tokens");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(token).contains(id);
        JsonNode row = listed.json().path("registration_tokens").findParents("id").stream()
                .filter(r -> r.path("id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(row.path("uses").asInt()).isEqualTo(1);
        assertThat(row.path("max_uses").asInt()).isEqualTo(3);

        assertThat(admin.post("/registration-tokens/" + id + "/revoke", null).status()).isEqualTo(200);
        assertError(admin.post("/registration-tokens/" + id + "/revoke", null), 404, 100006);
        assertError(admin.post("/registration-tokens/nope/revoke", null), 404, 100006);
        assertThat(register(token, Map.of("redirect_uris", List.of("https://rp.example/cb"))).status()).isEqualTo(401);
        assertThat(admin.event("action=admin.registration_token.revoked&subject=" + id).path("client_ip").asText()).isNotBlank();
    }

    @Test
    void badRequestsOrNoAdminTokenCreateNothing() {
        long before = server.count("SELECT COUNT(*) FROM registration_tokens");

        assertInvalid(admin.post("/registration-tokens", Map.of("expires_in_seconds", 0)), "expires_in_seconds");
        assertInvalid(admin.post("/registration-tokens", Map.of("max_uses", "many")), "max_uses");
        assertInvalid(admin.post("/registration-tokens", Map.of("uses", 1)), "uses");
        assertError(server.http().json("POST", AdminClient.API + "/registration-tokens", null, Map.of()), 401, 100002);

        assertThat(server.count("SELECT COUNT(*) FROM registration_tokens")).isEqualTo(before);
    }

    @Test
    void thePolicyDecidesGrantTypesAndScopesAndPermissionsAreNeverGiven() {
        String token = admin.post("/registration-tokens", Map.of()).json().path("token").asText();
        long partners = server.count("SELECT COUNT(*) FROM partners");

        Http.Response refresh = register(token, Map.of("redirect_uris", List.of("https://rp.example/cb"),
                "grant_types", List.of("authorization_code", "refresh_token")));
        Http.Response scope = register(token, Map.of("redirect_uris", List.of("https://rp.example/cb"),
                "scope", "openid read.firstname"));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.json().path("error").asText()).isEqualTo("invalid_client_metadata");
        assertThat(scope.json().path("error").asText()).isEqualTo("invalid_client_metadata");
        assertThat(server.count("SELECT COUNT(*) FROM partners")).isEqualTo(partners);

        Http.Response ok = register(token, Map.of("redirect_uris", List.of("https://rp.example/cb"),
                "grant_types", List.of("authorization_code", "client_credentials"), "permissions", List.of("users:write")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().path("scope").asText()).isEqualTo("read.phone openid");
        String clientId = ok.json().path("client_id").asText();
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().permissions()).isEmpty();
        Http.Response service = server.http().send("POST", "/api/v1/oidc/token",
                Http.basic(clientId, ok.json().path("client_secret").asText()), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&scope=users:write".getBytes(StandardCharsets.UTF_8));
        assertThat(service.json().path("error").asText()).isEqualTo("invalid_scope");
        Http.Response createUser = server.http().json("POST", "/api/v1/oauth/user", Http.bearer(
                serviceToken(clientId, ok.json().path("client_secret").asText())), Map.of("phone", Flows.newPhone()));
        assertThat(createUser.status()).isEqualTo(403);
    }

    private static String serviceToken(String clientId, String secret) {
        Http.Response response = server.http().send("POST", "/api/v1/oidc/token", Http.basic(clientId, secret),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("access_token").asText();
    }

    @Test
    void anUnknownGrantTypeOrScopeInThePolicyStopsStartUp() {
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_REGISTRATION_GRANT_TYPES", "authorization_code password")))
                .isInstanceOf(Config.BadSettingException.class).hasMessageContaining("FREEDOM_ID_REGISTRATION_GRANT_TYPES");
        assertThatThrownBy(() -> Config.from(Map.of("FREEDOM_ID_REGISTRATION_SCOPES", "openid users:write")))
                .isInstanceOf(Config.BadSettingException.class).hasMessageContaining("FREEDOM_ID_REGISTRATION_SCOPES");
    }

    @Test
    void anOperatorRegistersAPartnerWithAJwksUriButNotWithJwksBesideIt() {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "Keys at a URL", "redirect_uris",
                List.of("https://rp.example/cb"), "grants", List.of("openid"), "jwks_uri", "https://rp.example/jwks"));
        Http.Response created = admin.post("/partners", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("jwks_uri").asText()).isEqualTo("https://rp.example/jwks");
        assertThat(server.app.partners.find(UUID.fromString(created.json().path("client_id").asText())).orElseThrow()
                .settings().jwksUri()).isEqualTo("https://rp.example/jwks");
        long partners = server.count("SELECT COUNT(*) FROM partners");

        body.put("jwks", Map.of("keys", List.of(Map.of("kty", "EC", "crv", "P-256",
                "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"))));
        assertInvalid(admin.post("/partners", body), "jwks_uri");
        body.remove("jwks");
        body.put("jwks_uri", "ftp://rp.example/jwks");
        assertInvalid(admin.post("/partners", body), "jwks_uri");
        assertThat(server.count("SELECT COUNT(*) FROM partners")).isEqualTo(partners);
    }
}
