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

        Texts(String lang, Map<String, String> entries) {
            this.lang = lang;
            this.entries = entries;
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
