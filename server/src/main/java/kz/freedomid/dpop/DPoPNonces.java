package kz.freedomid.dpop;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-supplied DPoP nonces (RFC 9449 §8, §9) without state: a time slot and a MAC over it with a key derived from the
 * master key, so every node accepts the nonces of every other. A nonce is good in its own slot and the next one.
 */
final class DPoPNonces {
    static final Duration SLOT = Duration.ofMinutes(3);
    private static final int MAC_BYTES = 16;

    private final SecretKeySpec key;
    private final Clock clock;

    DPoPNonces(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.clock = clock;
    }

    /** The nonce of the current slot. */
    String current() {
        return encode(slot());
    }

    boolean valid(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != Long.BYTES + MAC_BYTES) return false;
        long slot = ByteBuffer.wrap(raw, 0, Long.BYTES).getLong();
        long now = slot();
        if (slot != now && slot != now - 1) return false;
        return MessageDigest.isEqual(Arrays.copyOfRange(raw, Long.BYTES, raw.length), mac(slot));
    }

    private long slot() {
        return clock.millis() / SLOT.toMillis();
    }

    private String encode(long slot) {
        byte[] out = ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(slot).put(mac(slot)).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    private byte[] mac(long slot) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array()), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
