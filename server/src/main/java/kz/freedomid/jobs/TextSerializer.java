package kz.freedomid.jobs;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import java.nio.charset.StandardCharsets;

/**
 * Job data as UTF-8 text (every task here carries a string, usually JSON). Readable in the table, safe to write with
 * plain SQL inside a caller's transaction, and free of Java serialization's class coupling and deserialization risks.
 */
final class TextSerializer implements Serializer {
    static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] serialize(Object data) {
        if (data == null) return null;
        if (data instanceof String text) return bytes(text);
        throw new IllegalArgumentException("job data must be a String, not " + data.getClass().getName());
    }

    @Override
    public <T> T deserialize(Class<T> type, byte[] data) {
        if (data == null) return null;
        if (type != String.class) throw new IllegalArgumentException("job data is text, cannot read it as " + type.getName());
        return type.cast(new String(data, StandardCharsets.UTF_8));
    }
}
