package kz.freedomid.account;

import java.text.Collator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** ISO 3166-1 alpha-3 codes with their names in the page's language, sorted for a select; built once per language. */
public final class Countries {
    public record Country(String code, String name) {}

    private static final Map<String, List<Country>> BY_LANGUAGE = new ConcurrentHashMap<>();

    private Countries() {}

    static List<Country> in(String lang) {
        return BY_LANGUAGE.computeIfAbsent(lang, Countries::build);
    }

    private static List<Country> build(String lang) {
        Locale display = Locale.forLanguageTag(lang);
        List<Country> out = new ArrayList<>();
        for (String alpha2 : Locale.getISOCountries()) {
            Locale country = Locale.of("", alpha2);
            out.add(new Country(country.getISO3Country(), country.getDisplayCountry(display)));
        }
        Collator collator = Collator.getInstance(display);
        out.sort(Comparator.comparing(Country::name, collator));
        return List.copyOf(out);
    }
}
