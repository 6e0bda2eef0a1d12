package kz.freedomid.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The admin REST API as an operator calls it, with the admin token, and checks of its error envelope. */
public final class AdminClient {
    public static final String TOKEN = "test-admin-token-4f9c1d2e8a7b6c5d4e3f2a1b";
    public static final String API = "/admin/api/v1";

    private final Http http;

    public AdminClient(TestServer server) {
        this.http = server.http();
    }

    /** A server with the admin API enabled; {@code settings} are further FREEDOM_ID_* values. */
    public static TestServer server(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("FREEDOM_ID_ADMIN_TOKEN", TOKEN);
        return TestServer.start(true, all);
    }

    public Http.Response get(String path) {
        return http.get(API + path, Http.bearer(TOKEN));
    }

    public Http.Response post(String path, Object body) {
        return body == null ? http.send("POST", API + path, Http.bearer(TOKEN), null, null)
                : http.json("POST", API + path, Http.bearer(TOKEN), body);
    }

    public Http.Response patch(String path, Object body) {
        return http.json("PATCH", API + path, Http.bearer(TOKEN), body);
    }

    public Http.Response delete(String path) {
        return http.send("DELETE", API + path, Http.bearer(TOKEN), null, null);
    }

    /** {@code GET /audit?query}, every page's events in order (newest first). */
    public List<JsonNode> events(String query) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = get("/audit?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("events").forEach(events::add);
            cursor = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asText();
        } while (cursor != null);
        return events;
    }

    /** The single event matching the query. */
    public JsonNode event(String query) {
        List<JsonNode> events = events(query);
        assertThat(events).as(query).hasSize(1);
        return events.get(0);
    }

    /** The response is the contract's envelope with this status and code; returns the inner error object. */
    public static JsonNode assertError(Http.Response response, int status, int code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode error = response.json().path("error");
        assertThat(error.path("code").asInt()).as(response.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        return error;
    }

    /** A 422 with code 100004 whose field map has exactly these keys. */
    public static void assertInvalid(Http.Response response, String... fields) {
        JsonNode errors = assertError(response, 422, 100004).path("errors");
        List<String> keys = new ArrayList<>();
        errors.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as(response.body()).containsExactlyInAnyOrder(fields);
        errors.forEach(messages -> assertThat(messages.isArray() && !messages.isEmpty()).as(response.body()).isTrue());
    }
}
