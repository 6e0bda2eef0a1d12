package kz.freedomid.platform.web;

import io.javalin.http.Context;

public final class SecurityHeaders {
    /**
     * No script at all, no framing. form-action is left out on purpose: browsers apply it to the 303 that follows a
     * consent form, which must reach the partner's redirect URI.
     */
    static final String PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void page(Context ctx, boolean https) {
        ctx.header("Content-Security-Policy", PAGE_CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (https) ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }

    public static void all(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
    }
}
