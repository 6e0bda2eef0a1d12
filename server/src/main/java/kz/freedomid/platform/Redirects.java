package kz.freedomid.platform;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

public final class Redirects {
    private Redirects() {}

    /** Adds query parameters to a URI, keeping any query it already has (RFC 6749 §3.1.2). */
    public static String withParams(String uri, Map<String, String> params) {
        int hash = uri.indexOf('#');
        String base = hash >= 0 ? uri.substring(0, hash) : uri;
        StringBuilder out = new StringBuilder(base);
        char separator = base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? 0 : '&') : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null) continue;
            if (separator != 0) out.append(separator);
            out.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            separator = '&';
        }
        return out.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
