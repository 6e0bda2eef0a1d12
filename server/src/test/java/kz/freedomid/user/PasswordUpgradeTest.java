package kz.freedomid.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A hash made with older, cheaper Argon2id parameters is replaced by one with today's at the next good sign-in. */
class PasswordUpgradeTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anOldHashIsUpgradedTransparentlyAtTheNextSignIn() {
        User user = Flows.user(server, null);
        String old = new PasswordHasher(4096, 1, 1, new SecureRandom()).hash("steppe-eagle-2024");
        server.execute("UPDATE users SET password_hash = ? WHERE id = ?", old, user.id());

        assertThat(server.app.users.checkPassword(user.phone(), "wrong password")).isEmpty();
        assertThat(server.app.users.find(user.id()).orElseThrow().passwordHash()).as("a failed attempt changes nothing")
                .isEqualTo(old);

        assertThat(server.app.users.checkPassword(user.phone(), "steppe-eagle-2024")).isPresent();
        String upgraded = server.app.users.find(user.id()).orElseThrow().passwordHash();
        assertThat(upgraded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(old);
        assertThat(server.app.users.checkPassword(user.phone(), "steppe-eagle-2024")).isPresent();
        assertThat(server.app.users.find(user.id()).orElseThrow().passwordHash()).as("hashed once").isEqualTo(upgraded);
    }
}
