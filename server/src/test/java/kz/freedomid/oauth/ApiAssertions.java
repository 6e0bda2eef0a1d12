package kz.freedomid.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import kz.freedomid.testing.Http;

/** Checks of the contract's error envelope (section 2), shared by the partner API tests. */
final class ApiAssertions {
    private ApiAssertions() {}

    /** The response is {@code {"error":{"message":…,"code":code}}} with this HTTP status; returns the inner object. */
    static JsonNode assertError(Http.Response response, int status, int code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("content type").startsWith("application/json");
        JsonNode error = response.json().path("error");
        assertThat(error.isObject()).as("envelope: " + response.body()).isTrue();
        assertThat(error.path("code").isInt()).as(response.body()).isTrue();
        assertThat(error.path("code").asInt()).as(response.body()).isEqualTo(code);
        assertThat(error.path("message").isTextual()).as(response.body()).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
        return error;
    }

    /** A 422/100004 whose {@code errors} map has exactly these field keys, each with at least one message. */
    static JsonNode assertValidation(Http.Response response, String... fields) {
        JsonNode error = assertError(response, 422, 100004);
        JsonNode errors = error.path("errors");
        assertThat(errors.isObject()).as(response.body()).isTrue();
        List<String> keys = new ArrayList<>();
        errors.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as(response.body()).containsExactlyInAnyOrder(fields);
        for (String field : fields) {
            JsonNode messages = errors.get(field);
            assertThat(messages.isArray() && !messages.isEmpty()).as(field + " in " + response.body()).isTrue();
            messages.forEach(m -> assertThat(m.isTextual() && !m.asText().isBlank()).as(response.body()).isTrue());
        }
        return errors;
    }
}
