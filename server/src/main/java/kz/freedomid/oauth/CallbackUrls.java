package kz.freedomid.oauth;

import java.net.URI;
import java.net.URISyntaxException;

/** Where Freedom ID may call a partner back: https, or http on a loopback host for local development. */
public final class CallbackUrls {
    private CallbackUrls() {}

    public static boolean isAllowed(String raw) {
        if (raw == null || raw.length() > 2000) return false;
        try {
            URI uri = new URI(raw);
            if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) return false;
            if ("https".equals(uri.getScheme())) return true;
            return "http".equals(uri.getScheme())
                    && (uri.getHost().equals("localhost") || uri.getHost().equals("127.0.0.1") || uri.getHost().equals("[::1]"));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
