package kz.freedomid.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.client.FreedomIdClient;
import kz.freedomid.client.ProfileDecryptor;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served answers of the main endpoints match the schemas the served OpenAPI document gives for them. */
class OpenApiConformanceTest {
    static TestServer server;
    static JsonNode document;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
        Http.Response served = server.http().get("/api/openapi.json", null);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).startsWith("application/json");
        document = served.json();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Validates the answer against the document's schema for this operation and status; fails if none is documented. */
    private static void assertConforms(String method, String path, Http.Response response) {
        JsonNode operation = document.path("paths").path(path).path(method.toLowerCase());
        assertThat(operation.isObject()).as(method + " " + path + " is documented").isTrue();
        JsonNode schema = operation.path("responses").path(String.valueOf(response.status()))
                .path("content").path("application/json").path("schema");
        assertThat(schema.isObject()).as(method + " " + path + " documents a JSON body for " + response.status()
                + ": " + response.body()).isTrue();
        assertThat(violations(schema, response.json())).as(method + " " + path + " " + response.body()).isEmpty();
    }

    /** The schema with the document's components beside it, so that its $refs resolve. */
    private static Set<ValidationMessage> violations(JsonNode schema, JsonNode instance) {
        ObjectNode root = schema.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", document.path("components"));
        JsonSchema compiled = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        return compiled.validate(instance);
    }

    private static JsonNode component(String name) {
        ObjectNode ref = Json.MAPPER.createObjectNode();
        ref.put("$ref", "#/components/schemas/" + name);
        return ref;
    }

    @Test
    void partnerApiAnswersMatchTheDocument() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).algorithm(com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256).keyID("oa").generate();
        var settings = new ClientSettings(false, List.of(), null, Set.of("users:write"), "RS256", key.toPublicJWK().toJSONString());
        var registered = server.app.partners.register(new PartnerService.NewPartner("Spec Shop",
                List.of("https://spec.example/cb"), Grant.all(), null, settings));
        var partner = new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(),
                "https://spec.example/cb");
        Http http = server.http();

        Http.Response link = http.json("POST", "/api/v1/oauth/authorize", partner.basic(), Map.of("redirect_uri",
                partner.redirectUri(), "grants", List.of("read.firstname", "read.phone", "read.email", "read.cards", "read.profile", "openid")));
        assertConforms("POST", "/api/v1/oauth/authorize", link);
        assertConforms("POST", "/api/v1/oauth/authorize", http.json("POST", "/api/v1/oauth/authorize", partner.basic(),
                Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("nope"))));
        assertConforms("POST", "/api/v1/oauth/authorize", http.json("POST", "/api/v1/oauth/authorize", null, Map.of()));

        String code = Flows.query(Flows.approvedRedirect(server, server.browser(),
                Flows.loginLink(server, partner, List.of("read.firstname", "read.phone", "read.email", "read.cards", "read.profile"), null),
                Flows.newPhone())).get("authorization_code");
        Http.Response pair = http.json("POST", "/api/v1/oauth/token", partner.basic(), Map.of("authorization_code", code));
        assertConforms("POST", "/api/v1/oauth/token", pair);
        assertConforms("POST", "/api/v1/oauth/token", http.json("POST", "/api/v1/oauth/token", partner.basic(),
                Map.of("authorization_code", "unknown-code")));

        Http.Response refreshed = http.send("PATCH", "/api/v1/oauth/token", Http.bearer(pair.json().get("refresh_token").asText()), null, null);
        assertConforms("PATCH", "/api/v1/oauth/token", refreshed);
        String access = refreshed.json().get("access_token").asText();
        assertConforms("PATCH", "/api/v1/oauth/token", http.send("PATCH", "/api/v1/oauth/token", Http.bearer(access), null, null));

        assertConforms("GET", "/api/v1/oauth/user", http.get("/api/v1/oauth/user", Http.bearer(access)));
        assertConforms("GET", "/api/v1/oauth/user", http.get("/api/v1/oauth/user", Http.bearer("nope")));

        String requestId = UUID.randomUUID().toString();
        assertConforms("POST", "/api/v1/oauth/get-profile", http.json("POST", "/api/v1/oauth/get-profile", Http.bearer(access),
                Map.of("request_id", requestId)));
        var sdk = FreedomIdClient.builder(java.net.URI.create(server.baseUrl), partner.clientId(), partner.secret()).build();
        var status = sdk.awaitProfile(access, UUID.fromString(requestId), Duration.ofSeconds(20), Duration.ofMillis(50));
        assertThat(status.isCompleted()).as(status.toString()).isTrue();
        assertConforms("GET", "/api/v1/oauth/get-profile/status",
                http.get("/api/v1/oauth/get-profile/status?request_id=" + requestId, Http.bearer(access)));
        JsonNode profile = new ProfileDecryptor(key).decrypt(status.encryptedProfile()).json();
        assertThat(violations(component("Profile"), profile)).as(profile.toString()).isEmpty();
        assertConforms("GET", "/api/v1/oauth/get-profile/status",
                http.get("/api/v1/oauth/get-profile/status?request_id=" + UUID.randomUUID(), Http.bearer(access)));

        Http.Response service = http.send("POST", "/api/v1/oidc/token", partner.basic(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&scope=users:write".getBytes(StandardCharsets.UTF_8));
        assertConforms("POST", "/api/v1/oidc/token", service);
        String serviceToken = service.json().get("access_token").asText();
        Http.Response created = http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken),
                Map.of("phone", Flows.newPhone(), "firstname", "Spec"));
        assertConforms("POST", "/api/v1/oauth/user", created);
        assertConforms("POST", "/api/v1/oauth/user", http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken),
                Map.of("phone", "123")));
        assertConforms("PUT", "/api/v1/oauth/user", http.json("PUT", "/api/v1/oauth/user", Http.bearer(serviceToken),
                Map.of("freedom_id", created.json().get("freedom_id").asText(), "lastname", "Schema")));
        assertConforms("GET", "/api/v1/errors", http.get("/api/v1/errors", null));
    }

    @Test
    void oidcAnswersMatchTheDocument() {
        Http http = server.http();
        assertConforms("GET", "/.well-known/openid-configuration", http.get("/.well-known/openid-configuration", null));
        assertConforms("GET", "/api/v1/oidc/jwks", http.get("/api/v1/oidc/jwks", null));
        var partner = Flows.partner(server);
        Http.Response badGrant = http.send("POST", "/api/v1/oidc/token", partner.basic(), "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=nope&redirect_uri=x".getBytes(StandardCharsets.UTF_8));
        assertConforms("POST", "/api/v1/oidc/token", badGrant);
        Http.Response badClient = http.send("POST", "/api/v1/oidc/token", Http.basic(partner.clientId(), "wrong"),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        assertConforms("POST", "/api/v1/oidc/token", badClient);

        var tokens = Flows.exchange(server, partner, Flows.codeFrom(server, partner, List.of("openid", "read.firstname", "read.email")));
        assertConforms("GET", "/api/v1/oidc/userinfo", http.get("/api/v1/oidc/userinfo", Http.bearer(tokens.accessToken())));
        assertConforms("POST", "/api/v1/oidc/introspect", http.send("POST", "/api/v1/oidc/introspect", partner.basic(),
                "application/x-www-form-urlencoded", ("token=" + tokens.accessToken()).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theCheckRejectsAnAnswerThatBreaksTheSchema() throws Exception {
        JsonNode wrong = Json.MAPPER.readTree("{\"id\":\"not-a-uuid\",\"access_token\":\"short\"}");
        assertThat(violations(component("TokenPair"), wrong)).isNotEmpty();
    }

    @Test
    void referencePageRendersTheDocumentWithoutScript() {
        Http.Response page = server.http().get("/api/docs", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'");
        assertThat(page.body()).doesNotContain("<script").doesNotContain("https://cdn")
                .contains("/api/v1/oauth/get-profile/status").contains("id=\"schema-TokenPair\"")
                .contains("href=\"/assets/api-docs.css\"");
        assertThat(server.http().get("/assets/api-docs.css", null).status()).isEqualTo(200);
    }
    @Test
    void registrationAnswersMatchTheDocument() {
        Http http = server.http();
        String token = server.app.registrationTokens.create(java.time.Duration.ofHours(1), null, null, "test").token();
        Map<String, Object> metadata = Map.of("redirect_uris", List.of("https://rp.example/cb"), "client_name", "Doc RP",
                "contacts", List.of("dev@rp.example"));
        Http.Response created = http.json("POST", "/api/v1/oidc/register", Http.bearer(token), metadata);
        assertConforms("POST", "/api/v1/oidc/register", created);
        assertConforms("POST", "/api/v1/oidc/register", http.json("POST", "/api/v1/oidc/register", Http.bearer(token),
                Map.of("redirect_uris", List.of("javascript:alert(1)"))));
        assertConforms("POST", "/api/v1/oidc/register", http.json("POST", "/api/v1/oidc/register", null, metadata));
        String uri = created.json().path("registration_client_uri").asText();
        String access = created.json().path("registration_access_token").asText();
        assertConforms("GET", "/api/v1/oidc/register/{client_id}", http.get(uri, Http.bearer(access)));
        Map<String, Object> update = new java.util.HashMap<>(metadata);
        update.put("client_id", created.json().path("client_id").asText());
        assertConforms("PUT", "/api/v1/oidc/register/{client_id}", http.json("PUT", uri, Http.bearer(access), update));
        assertConforms("GET", "/api/v1/oidc/register/{client_id}", http.get(uri, Http.bearer(access)));
    }
}
