package kz.freedomid.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;

/** Registration requests as a client sends them, and the counts that show a refused request changed nothing. */
final class RegistrationTestSupport {
    static final String PATH = "/api/v1/oidc/register";
    static final String CALLBACK = "https://rp.example/cb?tenant=7";

    private RegistrationTestSupport() {}

    /** A fresh initial access token with no use limit, valid a day. */
    static String initialToken(TestServer server) {
        return server.app.registrationTokens.create(Duration.ofDays(1), null, "test", "test").token();
    }

    /** Good metadata for a confidential web client that signs users in with the code flow. */
    static Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redirect_uris", List.of(CALLBACK));
        m.put("client_name", "Dynamic RP");
        m.put("client_name#ru", "Динамический RP");
        m.put("grant_types", List.of("authorization_code", "refresh_token"));
        m.put("response_types", List.of("code"));
        m.put("token_endpoint_auth_method", "client_secret_basic");
        m.put("scope", "openid read.firstname read.phone");
        m.put("contacts", List.of("dev@rp.example"));
        m.put("logo_uri", "https://rp.example/logo.png");
        m.put("post_logout_redirect_uris", List.of("https://rp.example/bye"));
        return m;
    }

    static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] == null) out.remove((String) keysAndValues[i]);
            else out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    static Http.Response register(TestServer server, String initialToken, Object body) {
        return server.http().json("POST", PATH, initialToken == null ? null : Http.bearer(initialToken), body);
    }

    static JsonNode registered(TestServer server, String initialToken, Object body) {
        Http.Response response = register(server, initialToken, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    /** Partners, registrations and uses of initial access tokens: what a refused request must leave as it was. */
    static long[] state(TestServer server) {
        return new long[] {server.count("SELECT COUNT(*) FROM partners"), server.count("SELECT COUNT(*) FROM client_registrations"),
                server.count("SELECT COALESCE(SUM(uses), 0) FROM registration_tokens"),
                server.count("SELECT COUNT(*) FROM partners WHERE status = 'active'")};
    }

    /** The standard error (RFC 7591 §3.2.2, RFC 6750 §3.1) with this status, not cached. */
    static JsonNode assertError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = response.json();
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).isNotBlank();
        if (status == 401) assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
        return body;
    }
}
