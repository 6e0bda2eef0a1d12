package kz.freedomid.admin;

import static kz.freedomid.testing.AdminClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kz.freedomid.testing.AdminClient;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API answers only to the admin token, and does not exist at all when none is configured. */
class AdminApiAuthTest {
    private static final List<String> PATHS = List.of("/partners", "/keys", "/audit");

    static TestServer enabled;
    static TestServer disabled;

    @BeforeAll
    static void start() {
        enabled = AdminClient.server(Map.of());
        disabled = TestServer.start();
    }

    @AfterAll
    static void stop() {
        enabled.close();
        disabled.close();
    }

    @Test
    void adminApiWhenTokenUnsetThenEveryPathIsUnknown() {
        Http http = disabled.http();
        for (String path : PATHS) {
            assertError(http.get(AdminClient.API + path, Http.bearer(AdminClient.TOKEN)), 404, 100006);
            assertError(http.get(AdminClient.API + path, null), 404, 100006);
        }
        assertError(http.json("POST", AdminClient.API + "/partners", Http.bearer(AdminClient.TOKEN),
                Map.of("name", "X", "redirect_uris", List.of("https://x.example/cb"), "grants", List.of("read.phone"))), 404, 100006);
        assertThat(disabled.count("SELECT COUNT(*) FROM partners WHERE name = 'X'")).isZero();
    }

    @Test
    void adminApiWhenTokenMissingOrWrongThen401WithBearerChallenge() {
        Http http = enabled.http();
        String almost = AdminClient.TOKEN.substring(0, AdminClient.TOKEN.length() - 1) + "X";
        for (String path : PATHS) {
            for (String authorization : java.util.Arrays.asList(null, Http.bearer(almost), Http.bearer(AdminClient.TOKEN + "0"),
                    Http.bearer(AdminClient.TOKEN.substring(0, 20)), Http.basic("admin", AdminClient.TOKEN), "Bearer")) {
                Http.Response response = http.get(AdminClient.API + path, authorization);
                assertError(response, 401, 100002);
                assertThat(response.header("WWW-Authenticate")).as(authorization).isEqualTo("Bearer");
            }
        }
    }

    @Test
    void adminApiWhenTokenRightThen200AndUnknownPathsStay404() {
        AdminClient admin = new AdminClient(enabled);
        for (String path : PATHS) {
            assertThat(admin.get(path).status()).as(path).isEqualTo(200);
        }
        assertError(admin.get("/nothing-here"), 404, 100006);
        // An unknown path without the token reveals nothing either.
        assertError(enabled.http().get(AdminClient.API + "/nothing-here", null), 401, 100002);
    }

    @Test
    void adminApiWhenWrongTokenPresentedThenAttemptIsAuditedWithoutTheToken() {
        String guess = "guess-" + System.nanoTime();
        assertError(enabled.http().get(AdminClient.API + "/keys", Http.bearer(guess)), 401, 100002);

        var event = new AdminClient(enabled).events("action=admin.auth_failed").stream()
                .filter(e -> e.path("details").path("path").asText().equals(AdminClient.API + "/keys")).findFirst().orElseThrow();
        assertThat(event.path("actor").path("kind").asText()).isEqualTo("admin");
        assertThat(event.path("client_ip").asText()).isNotBlank();
        assertThat(event.path("details").path("method").asText()).isEqualTo("GET");
        assertThat(event.toString()).doesNotContain(guess);
        assertThat(enabled.count("SELECT COUNT(*) FROM audit_events WHERE details LIKE ?", "%" + guess + "%")).isZero();
    }
}
