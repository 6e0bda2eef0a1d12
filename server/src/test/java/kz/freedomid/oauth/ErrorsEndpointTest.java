package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Contract section 2: the error table at {@code GET /api/v1/errors}, and the envelope for failures of any route. */
class ErrorsEndpointTest {
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
    void errorsEndpointListsEveryCodeOfTheContractTable() {
        Map<Integer, Integer> contract = new HashMap<>();
        contract.put(100001, 401);
        contract.put(100002, 401);
        contract.put(100003, 403);
        contract.put(100004, 422);
        contract.put(100005, 429);
        contract.put(100006, 404);
        contract.put(100007, 409);
        contract.put(100008, 400);
        contract.put(100009, 409);
        contract.put(100101, 400);
        contract.put(100102, null); // travels only on the redirect to the partner
        contract.put(100103, null);
        contract.put(100104, 401);
        contract.put(100105, 401);
        contract.put(100500, 500);
        contract.put(100503, 503);

        Http.Response response = server.http().get("/api/v1/errors", null);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode rows = response.json().get("errors");
        assertThat(rows.isArray()).as(response.body()).isTrue();
        Map<Integer, Integer> listed = new HashMap<>();
        List<Integer> codes = new ArrayList<>();
        for (JsonNode row : rows) {
            codes.add(row.get("code").asInt());
            listed.put(row.get("code").asInt(), row.get("http_status").isNull() ? null : row.get("http_status").asInt());
            assertThat(row.get("message").asText()).as(row.toString()).isNotBlank();
        }
        assertThat(codes).doesNotHaveDuplicates();
        assertThat(listed).isEqualTo(contract);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GET, /api/v1/nope", "GET, /api/v2/oauth/user", "GET, /api/", "POST, /api/v1/oauth/nope",
            "GET, /api/v1/oauth/user/123", "GET, /api/v1/errors/100001"})
    void unknownApiPathThen404WithEnvelope(String method, String path) {
        Http.Response response = server.http().send(method, path, null, method.equals("POST") ? "application/json" : null,
                method.equals("POST") ? "{}".getBytes() : null);
        assertError(response, 404, 100006);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"DELETE, /api/v1/oauth/token", "GET, /api/v1/oauth/authorize", "PUT, /api/v1/oauth/token",
            "POST, /api/v1/errors"})
    void apiWhenWrongMethodOnAKnownPathThenTheNotFoundEnvelopeWithItsOwnStatus(String method, String path) {
        // The table pairs 100006 with 404, and GET /api/v1/errors says so: the status must agree with the code.
        assertError(server.http().send(method, path, null, null, null), 404, 100006);
    }

    @Test
    void apiWhenDatabaseFailsUnexpectedlyThen500WithoutDetails() {
        try (TestServer broken = TestServer.start()) {
            Flows.TestPartner partner = Flows.partner(broken, Grant.READ_FIRSTNAME);
            broken.execute("ALTER TABLE login_tracks RENAME TO login_tracks_gone");

            Http.Response response = broken.http().json("POST", "/api/v1/oauth/authorize", partner.basic(),
                    Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname")));

            assertError(response, 500, 100500);
            assertThat(response.json().get("error").size()).isEqualTo(2);
            assertThat(response.body().toLowerCase()).doesNotContain("login_tracks", "sql", "exception", "jdbi");
        }
    }

    @Test
    void apiWhenNoDatabaseConnectionAvailableThen503() {
        try (TestServer starved = TestServer.start()) {
            Flows.TestPartner partner = Flows.partner(starved, Grant.READ_FIRSTNAME);
            List<Handle> held = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) { // the server's whole pool
                    Handle handle = starved.app.database.jdbi().open();
                    handle.getConnection();
                    held.add(handle);
                }
                Http.Response response = starved.http().json("POST", "/api/v1/oauth/authorize", partner.basic(),
                        Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname")));

                assertError(response, 503, 100503);
                assertThat(response.body().toLowerCase()).doesNotContain("hikari", "sql", "exception");
            } finally {
                held.forEach(Handle::close);
            }
        }
    }
}
