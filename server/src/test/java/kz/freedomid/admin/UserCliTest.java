package kz.freedomid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code freedom-id user …} in a child JVM against the database of a running server: cards, update, block, delete. */
class UserCliTest {
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
    void operatorsManageUsersAndCardsFromTheCommandLine() throws Exception {
        User user = Flows.user(server, "steppe-eagle-2024");
        String id = user.id().toString();

        Result fullNumber = cli("user", "card", "add", id, "--masked-pan", "4400431234561234", "--brand", "VISA", "--expiry", "12/29");
        assertThat(fullNumber.exit()).isEqualTo(2);
        assertThat(fullNumber.out() + fullNumber.err()).doesNotContain("4400431234561234");
        Result card = cli("user", "card", "add", id, "--masked-pan", "440043******1234", "--brand", "VISA", "--expiry", "12/29");
        assertThat(card.exit()).as(card.err()).isZero();
        assertThat(server.app.cards.list(user.id())).hasSize(1);

        Result updated = cli("user", "update", id, "--country", "KAZ", "--lastname", "");
        assertThat(updated.exit()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("\"country\":\"KAZ\"").contains("\"lastname\":null");
        Result invalid = cli("user", "update", id, "--country", "XXX");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("country");

        Result blocked = cli("user", "block", id);
        assertThat(blocked.exit()).as(blocked.err()).isZero();
        assertThat(server.app.users.find(user.id()).orElseThrow().active()).isFalse();
        assertThat(server.app.audit.search(new kz.freedomid.audit.AuditQuery(null, id, "admin.user.blocked", null, null, 10, null))
                .items()).singleElement().satisfies(e -> assertThat(e.clientIp()).isEqualTo("cli"));

        Result deleted = cli("user", "delete", id);
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(server.app.users.find(user.id())).isEmpty();
        assertThat(cli("user", "show", id).exit()).isEqualTo(1);
        assertThat(cli("user", "show", UUID.randomUUID().toString()).err()).contains("No user");
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
