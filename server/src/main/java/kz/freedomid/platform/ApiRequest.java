package kz.freedomid.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Reads partner-API requests: bounded JSON bodies and Basic / Bearer credentials, with the contract's errors. */
public final class ApiRequest {
    /** Contract 2: bodies over 64 KiB are refused with 100008. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public record ClientCredentials(String clientId, String secret) {
        @Override
        public String toString() {
            return "ClientCredentials[" + clientId + "]";
        }
    }

    private ApiRequest() {}

    /** The JSON object body; an empty body counts as {} so that missing fields get field errors. */
    public static ObjectNode jsonObject(Context ctx) {
        byte[] body = boundedBody(ctx);
        if (isBlank(body)) return JsonNodeFactory.instance.objectNode();
        requireJsonContentType(ctx);
        JsonNode node = Json.parse(body);
        if (!(node instanceof ObjectNode object)) {
            throw new FreedomException(FreedomError.MALFORMED_BODY, "body is not a JSON object");
        }
        return object;
    }

    /** For endpoints that take no body (GET, the refresh PATCH): anything sent is refused. */
    public static void requireNoBody(Context ctx) {
        if (!isBlank(boundedBody(ctx))) {
            throw new FreedomException(FreedomError.MALFORMED_BODY, "this endpoint takes no request body");
        }
    }

    public static ClientCredentials basic(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new FreedomException(FreedomError.INVALID_CLIENT, "missing Basic credentials");
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) throw new FreedomException(FreedomError.INVALID_CLIENT, "malformed Basic credentials");
            // RFC 6749 §2.3.1: both parts are form-urlencoded before Base64.
            return new ClientCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new FreedomException(FreedomError.INVALID_CLIENT, "malformed Basic credentials");
        }
    }

    /** The Bearer token, or null when the header is missing or of another scheme. */
    public static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static void requireJsonContentType(Context ctx) {
        String type = ctx.contentType();
        String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
            throw FreedomException.unsupportedMediaType("content type " + type + " is not JSON");
        }
    }

    /** The raw body, at most 64 KiB (100008 beyond). */
    public static byte[] body(Context ctx) {
        return boundedBody(ctx);
    }

    /** U+0000, raw or escaped: valid JSON, but no PostgreSQL text can hold it, so the body is malformed for us. */
    private static boolean holdsNul(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) return true;
            if (body[i] == '\\' && i + 5 < body.length && body[i + 1] == 'u' && body[i + 2] == '0' && body[i + 3] == '0'
                    && body[i + 4] == '0' && body[i + 5] == '0') {
                return true; // a preceding backslash escaping this one is possible but harmless to refuse
            }
        }
        return false;
    }

    private static byte[] boundedBody(Context ctx) {
        Object cached = ctx.attribute("freedom.body");
        if (cached instanceof byte[] bytes) return bytes;
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) throw tooLarge();
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) throw tooLarge();
            if (holdsNul(body)) throw new io.javalin.http.BadRequestResponse("NUL character in the body");
            ctx.attribute("freedom.body", body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FreedomException tooLarge() {
        return new FreedomException(FreedomError.MALFORMED_BODY, "body larger than " + MAX_BODY_BYTES + " bytes");
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return false;
        }
        return true;
    }
}
