package kz.freedomid.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Reading the server's JSON by hand: explicit field names, no reflection on our public types. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    static Instant instant(JsonNode json, String field) {
        String text = text(json, field);
        return text == null ? null : Instant.parse(text);
    }

    static LocalDate date(JsonNode json, String field) {
        String text = text(json, field);
        return text == null ? null : LocalDate.parse(text);
    }

    static List<String> strings(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) return null;
        List<String> out = new ArrayList<>();
        node.forEach(item -> out.add(item.asText()));
        return List.copyOf(out);
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("not serializable as JSON", e);
        }
    }

    static JsonNode read(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (Exception e) {
            throw new FreedomIdTransportException("the answer is not JSON", e);
        }
    }
}
