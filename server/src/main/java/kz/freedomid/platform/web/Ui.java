package kz.freedomid.platform.web;

import java.util.List;

/**
 * What every page needs: texts in the chosen language, the CSRF token for its forms, and the language switcher's links.
 */
public record Ui(Messages.Texts t, String csrf, List<LanguageLink> languages, boolean dev) {
    public record LanguageLink(String lang, String label, String href, boolean current) {}

    public String lang() {
        return t.lang();
    }
}
