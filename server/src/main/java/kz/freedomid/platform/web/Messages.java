package kz.freedomid.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Page texts in Russian, Kazakh and English, loaded once from {@code i18n/messages_xx.properties} (UTF-8). */
public final class Messages {
    public static final List<String> LANGUAGES = List.of("ru", "kk", "en");
    public static final String DEFAULT_LANGUAGE = "ru";
    /** Times on pages are shown in Kazakhstan's time (UTC+5 since 2024). */
    public static final java.time.ZoneId ZONE = java.time.ZoneId.of("Asia/Almaty");

    private final Map<String, Texts> byLanguage = new HashMap<>();

    public Messages() {
        for (String lang : LANGUAGES) {
            byLanguage.put(lang, new Texts(lang, load(lang)));
        }
        Map<String, String> english = byLanguage.get("en").entries;
        for (String lang : LANGUAGES) {
            if (!byLanguage.get(lang).entries.keySet().equals(english.keySet())) {
                throw new IllegalStateException("messages_" + lang + " does not have the same keys as messages_en");
            }
        }
    }

    public Texts forLanguage(String lang) {
        return byLanguage.getOrDefault(lang, byLanguage.get(DEFAULT_LANGUAGE));
    }

    /** The first supported language of an Accept-Language or ui_locales value, or null. */
    public static String pick(String preference) {
        if (preference == null || preference.isBlank()) return null;
        for (String part : preference.split("[,\\s]+")) {
            String tag = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            String lang = tag.split("-", 2)[0];
            if (LANGUAGES.contains(lang)) return lang;
        }
        return null;
    }

    public static final class Texts {
        private final String lang;
        private final Map<String, String> entries;

        private final java.time.format.DateTimeFormatter dateTimes;

        Texts(String lang, Map<String, String> entries) {
            this.lang = lang;
            this.entries = entries;
            this.dateTimes = java.time.format.DateTimeFormatter
                    .ofLocalizedDateTime(java.time.format.FormatStyle.MEDIUM, java.time.format.FormatStyle.SHORT)
                    .withLocale(Locale.forLanguageTag(lang)).withZone(ZONE);
        }

        public String lang() {
            return lang;
        }

        public String get(String key) {
            String value = entries.get(key);
            if (value == null) throw new IllegalArgumentException("no message " + key);
            return value;
        }

        public String format(String key, Object... args) {
            return new MessageFormat(get(key), Locale.forLanguageTag(lang)).format(args);
        }

        /** A moment as people in Kazakhstan read it, in this language's conventions (e.g. "22 нояб. 2026 г., 10:15"). */
        public String dateTime(java.time.Instant instant) {
            return instant == null ? "" : dateTimes.format(instant);
        }

        /** A phone number grouped for reading: +7 701 234 56 78 for Kazakhstan and Russia, as stored otherwise. */
        public String phone(String e164) {
            if (e164 != null && e164.matches("\\+7\\d{10}")) {
                return "+7 " + e164.substring(2, 5) + " " + e164.substring(5, 8) + " " + e164.substring(8, 10) + " " + e164.substring(10);
            }
            return e164 == null ? "" : e164;
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }
    }

    private static Map<String, String> load(String lang) {
        String path = "/i18n/messages_" + lang + ".properties";
        try (InputStream in = Messages.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing " + path);
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> out = new HashMap<>();
            properties.forEach((k, v) -> out.put((String) k, (String) v));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
