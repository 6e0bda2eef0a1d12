package kz.freedomid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code registration-token create | list | revoke} in a child JVM against the database of a running server. */
class RegistrationTokenCliTest {
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
        JsonNode json() {
            return Json.parse(out.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static Http.Response register(String token) {
        return server.http().json("POST", "/api/v1/oidc/register", Http.bearer(token),
                Map.of("redirect_uris", List.of("https://rp.example/cb")));
    }

    @Test
    void createPrintsATokenOnceThatRegistersUpToItsUsesAndListAndRevokeManageIt() throws Exception {
        Result created = cli("registration-token", "create", "--expires-in", "2h", "--uses", "1", "--note", "acme", "--json");

        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out().strip().lines()).hasSize(1);
        String token = created.json().path("token").asText();
        String id = created.json().path("id").asText();
        assertThat(token).hasSize(64);
        assertThat(created.json().path("max_uses").asInt()).isEqualTo(1);
        Instant expires = Instant.parse(created.json().path("expires_at").asText());
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofMinutes(110), Duration.ofMinutes(121));
        assertThat(server.count("SELECT COUNT(*) FROM registration_tokens WHERE token_hash = ?", token)).isZero();
        assertThat(register(token).status()).isEqualTo(201);
        assertThat(register(token).status()).as("used up").isEqualTo(401);

        Result second = cli("registration-token", "create", "--json");
        String other = second.json().path("token").asText();
        Result revoked = cli("registration-token", "revoke", second.json().path("id").asText());
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(register(other).status()).isEqualTo(401);

        Result listed = cli("registration-token", "list", "--json");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).doesNotContain(token).doesNotContain(other);
        JsonNode rows = listed.json();
        assertThat(rows.findValuesAsText("id")).contains(id, second.json().path("id").asText());
        for (JsonNode row : rows) {
            if (row.path("id").asText().equals(id)) {
                assertThat(row.path("status").asText()).isEqualTo("used_up");
                assertThat(row.path("uses").asInt()).isEqualTo(1);
                assertThat(row.path("note").asText()).isEqualTo("acme");
            }
            if (row.path("id").asText().equals(second.json().path("id").asText())) {
                assertThat(row.path("status").asText()).isEqualTo("revoked");
            }
        }
        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'admin.registration_token.revoked'"
                + " AND subject = ? AND client_ip = 'cli'", second.json().path("id").asText())).isOne();
    }

    @Test
    void badInputExitsNonZeroAndCreatesNothing() throws Exception {
        long before = server.count("SELECT COUNT(*) FROM registration_tokens");

        Result badDuration = cli("registration-token", "create", "--expires-in", "soon");
        Result tooLong = cli("registration-token", "create", "--expires-in", "400d", "--uses", "0");
        Result unknown = cli("registration-token", "revoke", java.util.UUID.randomUUID().toString());

        assertThat(badDuration.exit()).isEqualTo(2);
        assertThat(badDuration.err()).contains("--expires-in");
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("No active registration token");
        assertThat(server.count("SELECT COUNT(*) FROM registration_tokens")).isEqualTo(before);
    }

    private static Result cli(String... args) throws Exception {
        var config = server.app.config;
        ChildJvm.Started started = ChildJvm.start(Map.of("FREEDOM_ID_DB_URL", config.dbUrl(), "FREEDOM_ID_DB_USER",
                config.dbUser(), "FREEDOM_ID_DB_PASSWORD", config.dbPassword(), "FREEDOM_ID_DATA_DIR",
                config.dataDir().toString()), args);
        if (!started.process().waitFor(60, TimeUnit.SECONDS)) {
            started.process().destroyForcibly();
            throw new AssertionError("CLI did not finish in 60 s");
        }
        return new Result(started.process().exitValue(), started.stdout(), started.stderr());
    }
}
