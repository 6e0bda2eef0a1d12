package kz.freedomid.profile;

import static kz.freedomid.profile.ProfileTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code partner create --profile-jwk FILE} and {@code partner set-profile-jwk CLIENT_ID FILE}, in a child JVM. */
class ProfileCliTest {
    static TestServer server;
    @TempDir Path dir;

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void start() {
        server = TestServer.startReachableFromOtherProcesses();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createWithAPublicKeyThenReplaceItAndRefuseAPrivateOne() throws Exception {
        RSAKey rsa = rsaKey();
        Path rsaFile = write("rsa.json", rsa.toPublicJWK().toJSONString());
        Result created = cli("partner", "create", "--name", "Profile Bank", "--redirect-uri", "https://bank.example/cb",
                "--grants", "read.firstname,read.profile", "--profile-jwk", rsaFile.toString(), "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        UUID clientId = UUID.fromString(Json.MAPPER.readTree(created.out()).get("client_id").asText());
        assertThat(JWK.parse(storedKey(clientId)).toRSAKey().getModulus()).isEqualTo(rsa.getModulus());

        ECKey ec = ecKey();
        Result refused = cli("partner", "set-profile-jwk", clientId.toString(), write("private.json", ec.toJSONString()).toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("PRIVATE key");
        assertThat(JWK.parse(storedKey(clientId)).toRSAKey().getModulus()).isEqualTo(rsa.getModulus());

        Result replaced = cli("partner", "set-profile-jwk", clientId.toString(),
                write("ec.json", ec.toPublicJWK().toJSONString()).toString());
        assertThat(replaced.exit()).as(replaced.err()).isZero();
        ECKey stored = JWK.parse(server.partnerWhen(clientId, p -> p.settings().profileJwk().contains("\"EC\""))
                .settings().profileJwk()).toECKey();
        assertThat(stored.isPrivate()).isFalse();
        assertThat(stored.getX()).isEqualTo(ec.getX());
        Result listed = cli("partner", "list", "--json");
        assertThat(listed.out()).contains(ec.getX().toString()).doesNotContain("\"d\"");

        Result unknown = cli("partner", "set-profile-jwk", UUID.randomUUID().toString(),
                write("ec2.json", ec.toPublicJWK().toJSONString()).toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("No partner");
    }

    @Test
    void createRefusesAPrivateKeyAndCreatesNothing() throws Exception {
        long before = server.count("SELECT COUNT(*) FROM partners");
        Result result = cli("partner", "create", "--name", "Leaky", "--redirect-uri", "https://leaky.example/cb",
                "--grants", "read.profile", "--profile-jwk", write("private.json", rsaKey().toJSONString()).toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("PRIVATE key");
        assertThat(server.count("SELECT COUNT(*) FROM partners")).isEqualTo(before);
    }

    private String storedKey(UUID clientId) {
        return server.app.partners.find(clientId).orElseThrow().settings().profileJwk();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private Result cli(String... args) throws Exception {
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
