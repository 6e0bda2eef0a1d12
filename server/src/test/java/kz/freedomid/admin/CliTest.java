package kz.freedomid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real command line in a child JVM against the same database as a running server. */
class CliTest {
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
    void partnerCreateJsonPrintsOneLineWithCredentialsThatWorkOnTheRunningServer() throws Exception {
        Result created = cli("partner", "create", "--name", "Kaspi Shop", "--redirect-uri", "https://shop.example/cb",
                "--redirect-uri", "https://shop.example/cb2", "--grants", "read.firstname,read.phone", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out().strip().lines()).hasSize(1);
        String clientId = created.json().get("client_id").asText();
        String secret = created.json().get("client_secret").asText();
        assertThat(UUID.fromString(clientId)).isNotNull();

        Http.Response link = server.http().json("POST", "/api/v1/oauth/authorize", Http.basic(clientId, secret),
                Map.of("redirect_uri", "https://shop.example/cb2", "grants", List.of("read.phone")));
        assertThat(link.status()).as(link.body()).isEqualTo(200);

        Result listed = cli("partner", "list", "--json");
        assertThat(listed.out()).contains(clientId).contains("Kaspi Shop");
        assertThat(listed.out()).doesNotContain(secret);

        Result rotated = cli("partner", "rotate-secret", clientId, "--json");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String newSecret = rotated.json().get("client_secret").asText();
        assertThat(newSecret).isNotEqualTo(secret).hasSize(64);
        var old = server.http().json("POST", "/api/v1/oauth/authorize", Http.basic(clientId, secret),
                Map.of("redirect_uri", "https://shop.example/cb", "grants", List.of("read.phone")));
        assertThat(old.status()).isEqualTo(401);
        var fresh = server.http().json("POST", "/api/v1/oauth/authorize", Http.basic(clientId, newSecret),
                Map.of("redirect_uri", "https://shop.example/cb", "grants", List.of("read.phone")));
        assertThat(fresh.status()).isEqualTo(200);
    }

    @Test
    void partnerCreateWithUnknownGrantFailsWithOneClearLineAndCreatesNothing() throws Exception {
        long before = server.count("SELECT COUNT(*) FROM partners");
        Result result = cli("partner", "create", "--name", "X", "--redirect-uri", "https://x.example/cb",
                "--grants", "read.firstname,read.everything");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown grant 'read.everything'");
        assertThat(server.count("SELECT COUNT(*) FROM partners")).isEqualTo(before);
    }

    @Test
    void userCreateJsonPrintsFreedomIdAndPasswordSignInWorks() throws Exception {
        Result created = cli("user", "create", "--phone", "+77015550101", "--firstname", "Aliya", "--lastname", "Bekova",
                "--password", "correct-horse-9", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        String freedomId = created.json().get("freedom_id").asText();
        var user = server.app.users.findByPhone("+77015550101").orElseThrow();
        assertThat(user.id().toString()).isEqualTo(freedomId);
        assertThat(user.passwordHash()).startsWith("$argon2id$").doesNotContain("correct-horse-9");
        assertThat(server.app.users.checkPassword("+77015550101", "correct-horse-9")).isPresent();

        Result duplicate = cli("user", "create", "--phone", "+77015550101", "--json");
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).contains("already belongs");
    }

    @Test
    void publicClientHasNoSecretAndKeysRotatePublishesNewKeys() throws Exception {
        Result created = cli("partner", "create", "--name", "Mobile app", "--redirect-uri", "kz.shop.app:/callback",
                "--grants", "openid,read.phone", "--public", "--post-logout-redirect-uri", "kz.shop.app:/bye",
                "--id-token-alg", "ES256", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.json().get("client_secret").isNull()).isTrue();
        var partner = server.app.partners.find(UUID.fromString(created.json().get("client_id").asText())).orElseThrow();
        assertThat(partner.settings().publicClient()).isTrue();
        assertThat(partner.settings().postLogoutRedirectUris()).containsExactly("kz.shop.app:/bye");
        assertThat(partner.settings().idTokenAlg()).isEqualTo("ES256");

        int before = com.nimbusds.jose.jwk.JWKSet.parse(server.http().get("/api/v1/oidc/jwks", null).body()).getKeys().size();
        Result rotated = cli("keys", "rotate", "--lead", "PT10M");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("New signing keys");
        int after = com.nimbusds.jose.jwk.JWKSet.parse(server.http().get("/api/v1/oidc/jwks", null).body()).getKeys().size();
        assertThat(after).isEqualTo(before + 2);
    }

    @Test
    void badSettingStopsWithOneLineNamingIt() throws Exception {
        Result result = run(Map.of("FREEDOM_ID_PORT", "eighty"), "partner", "list");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("Bad setting FREEDOM_ID_PORT: expected a number, got 'eighty'");
    }

    private Result cli(String... args) throws Exception {
        var db = server.app.config;
        return run(Map.of("FREEDOM_ID_DB_URL", db.dbUrl(), "FREEDOM_ID_DB_USER", db.dbUser(),
                "FREEDOM_ID_DB_PASSWORD", db.dbPassword(), "FREEDOM_ID_DATA_DIR", db.dataDir().toString()), args);
    }

    private static Result run(Map<String, String> env, String... args) throws Exception {
        ChildJvm.Started started = ChildJvm.start(env, args);
        if (!started.process().waitFor(60, TimeUnit.SECONDS)) {
            started.process().destroyForcibly();
            throw new AssertionError("CLI did not finish in 60 s");
        }
        return new Result(started.process().exitValue(), started.stdout(), started.stderr());
    }
}
