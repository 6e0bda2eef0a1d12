package kz.freedomid.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kz.freedomid.testing.Http;

/** Shared by the partner API tests: checks of the error envelope (section 2) and the token pair body (3.3). */
public final class ApiTestSupport {
    private static final String TOKEN = "[A-Za-z0-9]{128}";
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z";

    private ApiTestSupport() {}

    /** The response is {@code {"error":{"message":…,"code":code}}} with this HTTP status; returns the inner object. */
    public static JsonNode assertError(Http.Response response, int status, int code) {
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
    public static JsonNode assertValidation(Http.Response response, String... fields) {
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

    /** Contract 1 and 3.3: field set, UUIDv7 id minted now, token shapes, lifetimes 7 d and 30 d from {@code now}. */
    public static void assertPair(JsonNode pair, Instant now) {
        List<String> keys = new ArrayList<>();
        pair.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("id", "access_token", "refresh_token", "access_expire_at",
                "refresh_expire_at");
        UUID id = UUID.fromString(pair.get("id").asText());
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).as("UUIDv7 timestamp").isEqualTo(now.toEpochMilli());
        assertThat(pair.get("access_token").asText()).matches(TOKEN);
        assertThat(pair.get("refresh_token").asText()).matches(TOKEN).isNotEqualTo(pair.get("access_token").asText());
        assertThat(pair.get("access_expire_at").asText()).matches(TIMESTAMP);
        assertThat(pair.get("refresh_expire_at").asText()).matches(TIMESTAMP);
        Instant micros = now.truncatedTo(ChronoUnit.MICROS);
        assertThat(Instant.parse(pair.get("access_expire_at").asText())).isEqualTo(micros.plus(Duration.ofDays(7)));
        assertThat(Instant.parse(pair.get("refresh_expire_at").asText())).isEqualTo(micros.plus(Duration.ofDays(30)));
    }

    /** Runs {@code call} on {@code n} threads released at once; the responses in submission order. */
    public static List<Http.Response> concurrently(int n, Callable<Http.Response> call) throws Exception {
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(n)) {
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Http.Response> out = new ArrayList<>();
            for (var f : futures) out.add(f.get());
            return out;
        }
    }

    /** 128 random characters of [A-Za-z0-9]: the shape of a real token, unknown to the server. */
    public static String randomToken() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder();
        var random = new SecureRandom();
        for (int i = 0; i < 128; i++) out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return out.toString();
    }
}
