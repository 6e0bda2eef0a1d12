package kz.freedomid.platform;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become responses: the contract's envelope on the API, a page elsewhere. */
public final class ErrorHandling {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);

    public interface PageRenderer {
        void render(Context ctx, int status, String messageKey);
    }

    private ErrorHandling() {}

    public static void register(RoutesConfig routes, PageRenderer pages) {
        // U+0000 is valid JSON and URL text but no PostgreSQL text value may hold it: refused up front as malformed
        // input (400 in each face's format) rather than failing deep in a store with a 500.
        routes.before(ctx -> {
            if (holdsNul(ctx)) throw new io.javalin.http.BadRequestResponse("NUL character in the request");
        });
        routes.exception(FreedomException.class, (e, ctx) -> {
            LOG.info("{} {} -> {} ({}) [{}]", ctx.method(), ctx.path(), e.error().code(), e.getMessage(), RequestIds.of(ctx));
            writeEnvelope(ctx, e.httpStatus(), e.error(), e.fieldErrors());
        });
        routes.exception(OAuthException.class, (e, ctx) -> {
            LOG.info("{} {} -> {} ({}) [{}]", ctx.method(), ctx.path(), e.error(), e.description(), RequestIds.of(ctx));
            writeOAuth(ctx, e);
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            if (status == 413) {
                drainOversizedBody(ctx);
                // Said before the answer: a client that pooled this connection would otherwise send its next request
                // on it while the server closes it (seen as "header parser received no bytes" on the next POST).
                ctx.header("Connection", "close");
            }
            if (isOidc(ctx) && status != 404 && status != 405) {
                writeOAuth(ctx, status >= 500 ? OAuthException.of(500, "server_error", "Internal error.")
                        : OAuthException.invalidRequest(status == 413 ? "The request body is too large." : "Bad request."));
            } else if (isApi(ctx)) {
                FreedomError error = switch (status) {
                    case 413, 400 -> FreedomError.MALFORMED_BODY;
                    case 404, 405 -> FreedomError.NOT_FOUND;
                    default -> status >= 500 ? FreedomError.INTERNAL : FreedomError.MALFORMED_BODY;
                };
                // The status agrees with the code's row of the contract table: 100006 is 404, also for a wrong method.
                writeEnvelope(ctx, status == 413 ? 400 : status == 405 ? 404 : status, error, Map.of());
            } else {
                pages.render(ctx, status, status == 404 ? "error.not_found" : "error.bad_request");
            }
        });
        routes.exception(Exception.class, (e, ctx) -> {
            boolean databaseDown = isDatabaseUnavailable(e);
            if (databaseDown) {
                // The root cause only: the statement context of a Jdbi exception lists the bound values (token hashes, phones).
                LOG.warn("database unavailable on {} {} [{}]: {}", ctx.method(), ctx.path(), RequestIds.of(ctx), rootCause(e));
            } else {
                LOG.error("unexpected failure on {} {} [{}]", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            }
            FreedomError error = databaseDown ? FreedomError.UNAVAILABLE : FreedomError.INTERNAL;
            if (isOidc(ctx)) {
                writeOAuth(ctx, databaseDown
                        ? OAuthException.of(503, "temporarily_unavailable", "Retry later.")
                        : OAuthException.of(500, "server_error", "Internal error."));
            } else if (isApi(ctx)) {
                writeEnvelope(ctx, error.httpStatus(), error, Map.of());
            } else {
                pages.render(ctx, error.httpStatus(), databaseDown ? "error.unavailable" : "error.internal");
            }
        });
        // Unmatched paths only: pages that answer 404 themselves mark the context as rendered.
        routes.error(404, ctx -> {
            if (ctx.attribute("freedom.rendered") != null) return;
            if (isApi(ctx)) {
                writeEnvelope(ctx, 404, FreedomError.NOT_FOUND, Map.of());
            } else {
                pages.render(ctx, 404, "error.not_found");
            }
        });
    }

    /** In the query string; JSON bodies are checked where they are read ({@link ApiRequest#body}). */
    private static boolean holdsNul(Context ctx) {
        String query = ctx.queryString();
        return query != null && query.contains("%00");
    }

    /** The OpenID Connect endpoints answer in the OAuth error format that standard clients expect (contract 2). */
    public static boolean isOidc(Context ctx) {
        String path = ctx.path();
        return path.startsWith("/api/v1/oidc/") || path.startsWith("/.well-known/");
    }

    public static void writeOAuth(Context ctx, OAuthException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        ctx.status(e.status()).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .header("Pragma", "no-cache").result(Json.write(body));
        if (e.wwwAuthenticate() != null) ctx.header("WWW-Authenticate", e.wwwAuthenticate());
        ctx.attribute("freedom.rendered", true);
    }

    public static boolean isApi(Context ctx) {
        String path = ctx.path();
        return path.startsWith("/api/") || path.startsWith("/admin/api/") || path.startsWith("/dev/");
    }

    public static void writeEnvelope(Context ctx, int status, FreedomError error, Map<String, ?> fieldErrors) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("message", error.message());
        inner.put("code", error.code());
        if (!fieldErrors.isEmpty()) inner.put("errors", fieldErrors);
        ctx.status(status).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .result(Json.write(Map.of("error", inner)));
        ctx.attribute("freedom.rendered", true);
        if (status == 401) {
            ctx.header("WWW-Authenticate", error == FreedomError.INVALID_CLIENT ? "Basic realm=\"freedom-id\"" : "Bearer");
        }
    }

    static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof org.jdbi.v3.core.ConnectionException) return true;
            // 08: connection exceptions; 57P01-57P03: the server is shutting down, crashed or not yet accepting
            // connections (PostgreSQL ends open sessions with these when it is stopped or restarted).
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            // HikariCP's answer on a connection it already discarded as broken, e.g. Bucket4j's rollback after the
            // fatal error that broke it, which hides that error.
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Over this, an oversized body is not read to its end: the connection is closed on it instead. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    /**
     * Reads and drops the rest of a body refused as too large (up to {@link #DRAIN_LIMIT}), so that a client still
     * sending it sees our answer instead of a connection reset (it would otherwise often lose the response).
     */
    private static void drainOversizedBody(io.javalin.http.Context ctx) {
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            int read;
            while (total < DRAIN_LIMIT && (read = in.read(buffer)) >= 0) total += read;
        } catch (java.io.IOException | IllegalStateException e) {
            // the client went away or the body was already consumed: nothing left to drain
        }
    }
}
