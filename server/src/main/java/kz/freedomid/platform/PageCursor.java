package kz.freedomid.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a page of a list ended: the sort time and id of its last row (keyset paging, stable while rows are added). On
 * the wire it is opaque (Base64url), so clients cannot build one and the encoding may change.
 */
public record PageCursor(Instant time, UUID id) {
    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Empty when the text is not a cursor this server made. */
    public static Optional<PageCursor> decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            if (bar < 0) return Optional.empty();
            return Optional.of(new PageCursor(Instant.parse(plain.substring(0, bar)), UUID.fromString(plain.substring(bar + 1))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
