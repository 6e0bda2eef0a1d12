package kz.freedomid.platform.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.freedomid.platform.Redirects;

/** Renders precompiled JTE templates with the request's language and security headers. */
public final class Pages {
    public static final String LANG_COOKIE = "fid_lang";
    private static final Map<String, String> LABELS = Map.of("ru", "Русский", "kk", "Қазақша", "en", "English");

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Messages messages;
    private final boolean dev;
    private final boolean https;

    public Pages(Messages messages, boolean dev, boolean https) {
        this.messages = messages;
        this.dev = dev;
        this.https = https;
    }

    /** Language: an explicit switch (?lang=, remembered), then ui_locales, the remembered choice, Accept-Language. */
    public Messages.Texts texts(Context ctx) {
        String chosen = Messages.pick(ctx.queryParam("lang"));
        if (chosen != null) {
            Cookie cookie = new Cookie(LANG_COOKIE, chosen);
            cookie.setPath("/");
            cookie.setMaxAge(365 * 24 * 3600);
            cookie.setHttpOnly(true);
            cookie.setSecure(https);
            cookie.setSameSite(SameSite.LAX);
            ctx.cookie(cookie);
            return messages.forLanguage(chosen);
        }
        for (String preference : new String[] {ctx.queryParam("ui_locales"), ctx.cookie(LANG_COOKIE), ctx.header("Accept-Language")}) {
            String lang = Messages.pick(preference);
            if (lang != null) return messages.forLanguage(lang);
        }
        return messages.forLanguage(Messages.DEFAULT_LANGUAGE);
    }

    public Ui ui(Context ctx, String csrf) {
        Messages.Texts t = texts(ctx);
        List<Ui.LanguageLink> links = new ArrayList<>();
        for (String lang : Messages.LANGUAGES) {
            links.add(new Ui.LanguageLink(lang, LABELS.get(lang), switchHref(ctx, lang), lang.equals(t.lang())));
        }
        return new Ui(t, csrf, links, dev);
    }

    public void render(Context ctx, int status, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        SecurityHeaders.page(ctx, https);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
        ctx.attribute("freedom.rendered", true);
    }

    /** A page with a title and a sentence, used for errors. */
    public void message(Context ctx, int status, String titleKey, String textKey) {
        Ui ui = ui(ctx, null);
        render(ctx, status, "message.jte", Map.of("ui", ui, "title", ui.t().get(titleKey), "text", ui.t().get(textKey)));
    }

    /**
     * The posted form's track_id; null when the body cannot be read: this page may be the answer to that very body
     * (over the 64 KiB limit, 413), and reading it again would throw inside the error handler (a 500, found by
     * PageFormFuzzTest).
     */
    private static String formTrackId(Context ctx) {
        try {
            return ctx.formParam("track_id");
        } catch (io.javalin.http.HttpResponseException e) {
            return null;
        }
    }

    private static String switchHref(Context ctx, String lang) {
        StringBuilder query = new StringBuilder();
        ctx.queryParamMap().forEach((name, values) -> {
            if (name.equals("lang")) return;
            for (String value : values) {
                query.append(query.isEmpty() ? "" : "&").append(Redirects.encode(name)).append('=').append(Redirects.encode(value));
            }
        });
        boolean get = "GET".equals(ctx.method().name());
        String trackId = get ? null : formTrackId(ctx);
        if (trackId != null && !trackId.isBlank()) {
            // A page answering a form post (code, password, sign-up) links back to its login, not to a bare /login.
            query.append(query.isEmpty() ? "" : "&").append("track_id=").append(Redirects.encode(trackId));
        }
        query.append(query.isEmpty() ? "" : "&").append("lang=").append(lang);
        String path = get ? ctx.path() : ctx.path().startsWith("/device") ? "/device" : "/login";
        return path + "?" + query;
    }
}
