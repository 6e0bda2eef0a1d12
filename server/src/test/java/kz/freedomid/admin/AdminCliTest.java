package kz.freedomid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditQuery;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The partner, key and audit commands of the CLI, run in a child JVM beside a running server; each change audited. */
class AdminCliTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startReachableFromOtherProcesses();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Result(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(out);
        }
    }

    @Test
    void showUpdateAndSetPermissionsChangeThePartnerAndAreAuditedFromTheCli() throws Exception {
        Result created = cli("partner", "create", "--name", "CLI Shop", "--redirect-uri", "https://shop.example/cb",
                "--grants", "read.phone", "--revoke-uri", "https://shop.example/revoke", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        String clientId = created.json().get("client_id").asText();
        String secret = created.json().get("client_secret").asText();

        Result shown = cli("partner", "show", clientId, "--json");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.json().get("name").asText()).isEqualTo("CLI Shop");
        assertThat(shown.out()).doesNotContain(secret);

        Result updated = cli("partner", "update", clientId, "--redirect-uri", "https://shop.example/cb2",
                "--redirect-uri", "https://shop.example/cb3", "--grants", "read.phone,read.email", "--revoke-uri", "",
                "--access-ttl-seconds", "600", "--json");
        assertThat(updated.exit()).as(updated.err()).isZero();
        Partner partner = partner(clientId);
        assertThat(partner.redirectUris()).containsExactly("https://shop.example/cb2", "https://shop.example/cb3");
        assertThat(partner.grants()).extracting(g -> g.wireName()).containsExactlyInAnyOrder("read.phone", "read.email");
        assertThat(partner.revokeUri()).isNull();
        assertThat(partner.accessTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(updated.json().get("access_ttl_seconds").asLong()).isEqualTo(600);

        Result permissions = cli("partner", "set-permissions", clientId, "--permission", "users:write");
        assertThat(permissions.exit()).as(permissions.err()).isZero();
        assertThat(partner(clientId).settings().permissions()).containsExactly("users:write");
        assertThat(permissions.out()).contains("users:write");

        List<AuditEvent> events = audit(clientId);
        assertThat(events).extracting(AuditEvent::action).containsExactly("admin.partner.updated",
                "admin.partner.updated", "admin.partner.created");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.actor().kind().wireName()).isEqualTo("admin");
            assertThat(e.clientIp()).isEqualTo("cli");
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> changed = (Map<String, Object>) events.get(1).details().get("changed");
        assertThat(changed).containsOnlyKeys("redirect_uris", "grants", "revoke_uri", "access_ttl_seconds");
    }

    @Test
    void requireParAndJwksAreSetByCreateAndUpdate() throws Exception {
        Result created = cli("partner", "create", "--name", "PAR Shop", "--redirect-uri", "https://shop.example/cb",
                "--grants", "openid,read.phone", "--require-par", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        String clientId = created.json().get("client_id").asText();
        assertThat(partner(clientId).settings().requirePushedRequests()).isTrue();

        java.nio.file.Path jwks = java.nio.file.Files.createTempFile("jwks", ".json");
        java.nio.file.Files.writeString(jwks, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\","
                + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}");
        Result updated = cli("partner", "update", clientId, "--require-par", "false", "--jwks", jwks.toString(), "--json");
        assertThat(updated.exit()).as(updated.err()).isZero();
        assertThat(updated.json().get("require_pushed_authorization_requests").asBoolean()).isFalse();
        assertThat(partner(clientId).settings().requirePushedRequests()).isFalse();
        assertThat(partner(clientId).settings().jwks()).contains("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
    }

    @Test
    void deviceGrantIsSetByCreateAndUpdate() throws Exception {
        Result created = cli("partner", "create", "--name", "TV App", "--redirect-uri", "https://tv.example/cb",
                "--grants", "openid,read.phone", "--device-grant", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        String clientId = created.json().get("client_id").asText();
        assertThat(partner(clientId).settings().deviceGrant()).isTrue();
        Result updated = cli("partner", "update", clientId, "--device-grant", "false", "--json");
        assertThat(updated.exit()).as(updated.err()).isZero();
        server.partnerWhen(UUID.fromString(clientId), p -> !p.settings().deviceGrant());
    }

    @Test
    void tokenEndpointAuthMethodIsSetByCreateAndUpdate() throws Exception {
        Result created = cli("partner", "create", "--name", "HMAC App", "--redirect-uri", "https://hmac.example/cb",
                "--grants", "openid", "--token-endpoint-auth-method", "client_secret_jwt", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        UUID id = UUID.fromString(created.json().get("client_id").asText());
        assertThat(server.count("SELECT COUNT(*) FROM client_secret_jwt WHERE client_id = ? AND sealed_secret IS NOT NULL", id))
                .isEqualTo(1);
        Result bad = cli("partner", "update", id.toString(), "--token-endpoint-auth-method", "hmac");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("--token-endpoint-auth-method");
        assertThat(server.app.clientSecretJwt.enabled(id)).isTrue();
        Result off = cli("partner", "update", id.toString(), "--token-endpoint-auth-method", "client_secret_basic");
        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(server.app.clientSecretJwt.enabled(id)).isFalse();
    }

    @Test
    void updateWhenInvalidOrEmptyOrUnknownThenClearMessageAndNothingChanges() throws Exception {
        String clientId = server.app.partnerAdmin.create(new kz.freedomid.partner.PartnerService.NewPartner("Steady",
                List.of("https://steady.example/cb"), java.util.Set.of(kz.freedomid.partner.Grant.READ_PHONE), null), "test")
                .partner().clientId().toString();
        Partner before = partner(clientId);

        Result invalid = cli("partner", "update", clientId, "--redirect-uri", "not a uri", "--access-ttl-seconds", "5");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("Invalid redirect URI: not a uri").contains("access token lifetime");
        Result nothing = cli("partner", "update", clientId);
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("Nothing to change");
        Result badPermission = cli("partner", "set-permissions", clientId, "--permission", "root");
        assertThat(badPermission.exit()).isEqualTo(2);
        assertThat(badPermission.err()).contains("Unknown permission 'root'");
        assertThat(partner(clientId)).isEqualTo(before);

        Result unknown = cli("partner", "show", UUID.randomUUID().toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("No partner with client_id");
    }

    @Test
    void disableStopsClientAuthenticationAtOnceAndEnableRestoresIt() throws Exception {
        var registered = server.app.partnerAdmin.create(new kz.freedomid.partner.PartnerService.NewPartner("Toggled",
                List.of("https://toggle.example/cb"), java.util.Set.of(kz.freedomid.partner.Grant.READ_PHONE), null), "test");
        String clientId = registered.partner().clientId().toString();
        String secret = registered.clientSecret();

        Result disabled = cli("partner", "disable", clientId);
        assertThat(disabled.exit()).as(disabled.err()).isZero();
        assertThat(authorize(clientId, secret).status()).isEqualTo(401);
        Result enabled = cli("partner", "enable", clientId);
        assertThat(enabled.exit()).as(enabled.err()).isZero();
        assertThat(authorize(clientId, secret).status()).isEqualTo(200);
        assertThat(audit(clientId)).extracting(AuditEvent::action)
                .containsExactly("admin.partner.enabled", "admin.partner.disabled", "admin.partner.created");
    }

    @Test
    void keysListShowsStatesAndAuditListPrintsFilteredEventsAsJson() throws Exception {
        Result rotated = cli("keys", "rotate", "--lead", "PT10M");
        assertThat(rotated.exit()).as(rotated.err()).isZero();

        Result keys = cli("keys", "list", "--json");
        assertThat(keys.exit()).as(keys.err()).isZero();
        List<String> states = new ArrayList<>();
        keys.json().get("keys").forEach(k -> states.add(k.get("state").asText()));
        assertThat(states).containsExactlyInAnyOrder("next", "next", "active", "active");
        assertThat(keys.out()).doesNotContain("\"d\"");

        Result listed = cli("audit", "list", "--action", "admin.key.*", "--actor", "admin", "--json");
        assertThat(listed.exit()).as(listed.err()).isZero();
        JsonNode events = listed.json().get("events");
        assertThat(events).hasSize(2);
        events.forEach(e -> {
            assertThat(e.get("action").asText()).isEqualTo("admin.key.rotated");
            assertThat(e.get("client_ip").asText()).isEqualTo("cli");
        });
        Result bad = cli("audit", "list", "--limit", "500", "--since", "yesterday");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--limit must be between 1 and 200").contains("since");
    }

    private static Partner partner(String clientId) {
        return server.app.partners.find(UUID.fromString(clientId)).orElseThrow();
    }

    private static List<AuditEvent> audit(String subject) {
        return server.app.audit.search(new AuditQuery(null, subject, null, null, null, 200, null)).items();
    }

    private static Http.Response authorize(String clientId, String secret) {
        return server.http().json("POST", "/api/v1/oauth/authorize", Http.basic(clientId, secret),
                Map.of("redirect_uri", partner(clientId).redirectUris().get(0), "grants", List.of("read.phone")));
    }

    private static Result cli(String... args) throws Exception {
        var db = server.app.config;
        ChildJvm.Started started = ChildJvm.start(Map.of("FREEDOM_ID_DB_URL", db.dbUrl(), "FREEDOM_ID_DB_USER", db.dbUser(),
                "FREEDOM_ID_DB_PASSWORD", db.dbPassword(), "FREEDOM_ID_DATA_DIR", db.dataDir().toString()), args);
        if (!started.process().waitFor(60, TimeUnit.SECONDS)) {
            started.process().destroyForcibly();
            throw new AssertionError("CLI did not finish in 60 s");
        }
        return new Result(started.process().exitValue(), started.stdout(), started.stderr());
    }
}
