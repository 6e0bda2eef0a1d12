package kz.freedomid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code partner set-permissions} in a child JVM against the database of a running server. */
class PartnerPermissionsCliTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startReachableFromOtherProcesses();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Result(int exit, String out, String err) {}

    @Test
    void setPermissionsGrantsUsersWriteAndWithoutAnyWithdrawsItFromLiveServiceTokens() throws Exception {
        var registered = server.app.partners.register(new PartnerService.NewPartner("Bank", List.of("https://bank.example/cb"),
                Set.of(Grant.READ_PHONE), null));
        String clientId = registered.partner().clientId().toString();
        String noPermission = serviceToken(clientId, registered.clientSecret());
        assertThat(createUser(noPermission).status()).isEqualTo(403);

        Result granted = cli("partner", "set-permissions", clientId, "--permission", "users:write");

        assertThat(granted.exit()).as(granted.err()).isZero();
        assertThat(granted.out()).contains("users:write");
        server.partnerWhen(UUID.fromString(clientId), p -> p.settings().permissions().equals(Set.of("users:write")));
        String token = serviceToken(clientId, registered.clientSecret());
        assertThat(createUser(token).status()).isEqualTo(201);

        Result cleared = cli("partner", "set-permissions", clientId);

        assertThat(cleared.exit()).as(cleared.err()).isZero();
        server.partnerWhen(UUID.fromString(clientId), p -> p.settings().permissions().isEmpty());
        assertThat(createUser(token).status()).isEqualTo(403);
    }

    @Test
    void setPermissionsWithAnUnknownPermissionOrPartnerFailsAndChangesNothing() throws Exception {
        var registered = server.app.partners.register(new PartnerService.NewPartner("Shop", List.of("https://shop.example/cb"),
                Set.of(Grant.READ_PHONE), null));
        String clientId = registered.partner().clientId().toString();

        Result unknown = cli("partner", "set-permissions", clientId, "--permission", "users:delete");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).containsIgnoringCase("unknown permission 'users:delete'");
        assertThat(server.app.partners.find(UUID.fromString(clientId)).orElseThrow().settings().permissions()).isEmpty();

        Result noPartner = cli("partner", "set-permissions", UUID.randomUUID().toString(), "--permission", "users:write");
        assertThat(noPartner.exit()).isEqualTo(1);
        assertThat(noPartner.err()).contains("No partner");
    }

    private static String serviceToken(String clientId, String secret) {
        Http.Response response = server.http().send("POST", "/api/v1/oidc/token", Http.basic(clientId, secret),
                "application/x-www-form-urlencoded", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }

    private static Http.Response createUser(String token) {
        return server.http().json("POST", "/api/v1/oauth/user", Http.bearer(token), Map.of("phone", Flows.newPhone()));
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
