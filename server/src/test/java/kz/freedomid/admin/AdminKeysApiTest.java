package kz.freedomid.admin;

import static kz.freedomid.testing.AdminClient.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.freedomid.testing.AdminClient;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/api/v1/keys}: the signing keys with their states and times, and an audited rotation. */
class AdminKeysApiTest {
    static TestServer server;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        server = AdminClient.server(Map.of());
        admin = new AdminClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rotateThenNewKeysArePublishedAsNextAndTakeOverAfterTheLeadWhileTheOldOnesRetire() throws Exception {
        List<JsonNode> before = keys();
        assertThat(before).extracting(k -> k.get("state").asText()).containsOnly("active");
        assertThat(before).extracting(k -> k.get("alg").asText()).containsExactlyInAnyOrder("RS256", "ES256");
        assertThat(before).allSatisfy(k -> assertThat(k.get("retires_at").isNull()).isTrue());
        Instant now = server.clock.instant().truncatedTo(ChronoUnit.MICROS);

        Http.Response rotated = admin.post("/keys/rotate", Map.of("lead", "PT10M"));

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        List<JsonNode> created = list(rotated.json().get("keys"));
        assertThat(created).extracting(k -> k.get("alg").asText()).containsExactlyInAnyOrder("RS256", "ES256");
        assertThat(created).allSatisfy(k -> {
            assertThat(k.get("state").asText()).isEqualTo("next");
            assertThat(Instant.parse(k.get("activates_at").asText())).isEqualTo(now.plus(Duration.ofMinutes(10)));
        });
        List<JsonNode> after = keys();
        assertThat(after).hasSize(4);
        // A superseded key stays published while id_tokens it signed may live (1 h) and an hour more.
        Instant retires = now.plus(Duration.ofMinutes(10)).plus(Duration.ofHours(2));
        assertThat(after).filteredOn(k -> k.get("state").asText().equals("active"))
                .hasSize(2).allSatisfy(k -> assertThat(Instant.parse(k.get("retires_at").asText())).isEqualTo(retires));
        assertThat(JWKSet.parse(server.http().get("/api/v1/oidc/jwks", null).body()).getKeys()).hasSize(4);

        server.clock.advance(Duration.ofMinutes(11));
        List<JsonNode> later = keys();
        assertThat(later).filteredOn(k -> k.get("state").asText().equals("active"))
                .extracting(k -> k.get("kid").asText()).containsExactlyInAnyOrderElementsOf(kids(created));
        assertThat(later).filteredOn(k -> k.get("state").asText().equals("retiring"))
                .extracting(k -> k.get("kid").asText()).containsExactlyInAnyOrderElementsOf(kids(before));

        for (String kid : kids(created)) {
            JsonNode event = admin.event("action=admin.key.rotated&subject=" + kid);
            assertThat(event.path("actor").path("kind").asText()).isEqualTo("admin");
            assertThat(Instant.parse(event.path("details").path("activates_at").asText()))
                    .isEqualTo(now.plus(Duration.ofMinutes(10)));
        }
    }

    @Test
    void keysNeverShowKeyMaterial() {
        String body = admin.get("/keys").body();
        for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"n\"", "\"x\"", "private", "jwk")) {
            assertThat(body).doesNotContain(member);
        }
    }

    @Test
    void rotateWhenLeadInvalidThen422AndNoKeyIsMade() {
        long before = server.count("SELECT COUNT(*) FROM signing_keys");
        assertInvalid(admin.post("/keys/rotate", Map.of("lead", "P31D")), "lead");
        assertInvalid(admin.post("/keys/rotate", Map.of("lead", "-PT1M")), "lead");
        assertInvalid(admin.post("/keys/rotate", Map.of("lead", "ten minutes")), "lead");
        assertInvalid(admin.post("/keys/rotate", Map.of("algorithm", "RS256")), "algorithm");
        assertThat(server.count("SELECT COUNT(*) FROM signing_keys")).isEqualTo(before);
    }

    private static List<JsonNode> keys() {
        Http.Response response = admin.get("/keys");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return list(response.json().get("keys"));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static List<String> kids(List<JsonNode> keys) {
        return keys.stream().map(k -> k.get("kid").asText()).toList();
    }
}
