package kz.freedomid.apidocs;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.Lazy;
import kz.freedomid.platform.web.SecurityHeaders;

/**
 * The OpenAPI 3.1 document of the partner API and OIDC endpoints at {@code /api/openapi.json}, and its reference
 * page at {@code /api/docs}, rendered here on the server so the page needs no script and no CDN.
 */
public final class ApiDocsRoutes {
    static final String RESOURCE = "/openapi/openapi.json";

    private final byte[] document;
    private final Lazy<String> page; // rendered at the first request: rendering costs a start about 70 ms
    private final boolean https;

    public ApiDocsRoutes(boolean https) {
        this.document = load();
        this.page = new Lazy<>(() -> new ApiReferencePage(Json.parse(document)).render());
        this.https = https;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/openapi.json", this::document);
        routes.get("/api/docs", this::page);
    }

    private void document(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300").header("Access-Control-Allow-Origin", "*")
                .contentType("application/json; charset=utf-8").result(document);
    }

    private void page(Context ctx) {
        SecurityHeaders.page(ctx, https);
        ctx.header("Cache-Control", "public, max-age=300").contentType("text/html; charset=utf-8").result(page.get());
    }

    static byte[] load() {
        try (InputStream in = ApiDocsRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
