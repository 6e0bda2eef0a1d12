package kz.freedomid.user;

import java.util.regex.Pattern;

/**
 * Recognises input that looks like a full card number (PAN): 13 to 19 digits, possibly grouped by spaces or dashes.
 * Such input is refused wherever it turns up, and the refusal never repeats it (not in a message, not in a log line).
 */
public final class CardNumbers {
    private static final Pattern FULL_NUMBER = Pattern.compile("(?<![0-9])[0-9](?:[ \\-]*[0-9]){12,18}(?![0-9])");

    private CardNumbers() {}

    public static boolean looksLikeFullNumber(String input) {
        return input != null && FULL_NUMBER.matcher(input).find();
    }
}
