package kz.freedomid.device;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * User codes (RFC 8628 §6.1): eight characters of twenty consonants (no vowels, so no words; no 0/O or 1/I), about 34.6
 * bits, shown as {@code BCDF-GHJK}; typed in any case, with or without the dash or spaces.
 */
public final class UserCodes {
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;

    private UserCodes() {}

    static String generate(SecureRandom random) {
        StringBuilder out = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) out.append('-');
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    /** The eight code characters in upper case, or empty when the input cannot be a user code. */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 32) return Optional.empty();
        StringBuilder out = new StringBuilder(LENGTH);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') continue;
            if (ALPHABET.indexOf(c) < 0) return Optional.empty();
            out.append(c);
        }
        return out.length() == LENGTH ? Optional.of(out.toString()) : Optional.empty();
    }

    /** {@code BCDFGHJK} as {@code BCDF-GHJK}. */
    public static String display(String normalized) {
        return normalized.substring(0, LENGTH / 2) + "-" + normalized.substring(LENGTH / 2);
    }
}
