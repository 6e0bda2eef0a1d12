package kz.freedomid.platform.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.Secrets;

/**
 * Who is calling, read cheaply before the handler runs and without spoiling its reading of the request: Javalin keeps a
 * form body it has parsed, and {@link ApiRequest#body} keeps the raw body for the handler's second look.
 */
final class Callers {
    private static final int MAX_KEY_PART = 100;

    /** A client as it claims to be; the handler still authenticates it. */
    record Client(String clientId, String bucketKey) {}

    private Callers() {}

    /**
     * The caller's address: from {@code header} when a trusted proxy sets it (its right-most entry, the address the
     * proxy saw), else the socket's. IPv6 callers count per /64, the block one subscriber usually holds.
     */
    static String ip(Context ctx, String header) {
        String raw = null;
        if (header != null) {
            String value = ctx.header(header);
            if (value != null) raw = value.substring(value.lastIndexOf(',') + 1).strip();
        }
        if (raw == null || raw.isEmpty()) raw = ctx.ip();
        return ipv6Network(raw);
    }

    /**
     * The client of a token, authorize, introspect or revoke call: Basic credentials, else client_id and client_secret
     * in a form or JSON body (OIDC endpoints only). Null when the request names none (a Bearer refresh, say).
     * <p>
     * The bucket is per client_id and a fingerprint of the presented secret: a runaway client exhausts its own bucket,
     * while someone who merely knows a client_id (it is public) cannot exhaust the real client's.
     */
    static Client client(Context ctx, boolean oidc) {
        try {
            String header = ctx.header("Authorization");
            if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                ApiRequest.ClientCredentials credentials = ApiRequest.basic(ctx);
                return client(credentials.clientId(), credentials.secret());
            }
            if (!oidc) return null;
            String type = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (type.equals("application/x-www-form-urlencoded")) {
                return client(ctx.formParam("client_id"), ctx.formParam("client_secret"));
            }
            if (type.equals("application/json")) {
                JsonNode body = Json.parse(ApiRequest.body(ctx));
                return client(text(body, "client_id"), text(body, "client_secret"));
            }
        } catch (RuntimeException e) {
            // Malformed credentials or body: the handler answers with the right error; count the call per address only.
        }
        return null;
    }

    private static Client client(String clientId, String secret) {
        if (clientId == null || clientId.isEmpty()) return null;
        String id = clientId.length() > MAX_KEY_PART ? clientId.substring(0, MAX_KEY_PART) : clientId;
        String fingerprint = secret == null || secret.isEmpty() ? "-" : Secrets.sha256(secret).substring(0, 16);
        return new Client(id, id + "/" + fingerprint);
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isValueNode() ? node.asText() : null;
    }

    private static String ipv6Network(String address) {
        if (address.indexOf(':') < 0 || !address.matches("\\[?[0-9A-Fa-f:.]+]?")) {
            return address.length() > MAX_KEY_PART ? address.substring(0, MAX_KEY_PART) : address;
        }
        try {
            // A literal with a colon is parsed, never looked up in DNS.
            InetAddress parsed = InetAddress.getByName(address);
            if (!(parsed instanceof Inet6Address)) return parsed.getHostAddress();
            byte[] a = parsed.getAddress();
            return String.format("%x:%x:%x:%x::/64", (a[0] & 0xff) << 8 | (a[1] & 0xff), (a[2] & 0xff) << 8 | (a[3] & 0xff),
                    (a[4] & 0xff) << 8 | (a[5] & 0xff), (a[6] & 0xff) << 8 | (a[7] & 0xff));
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
