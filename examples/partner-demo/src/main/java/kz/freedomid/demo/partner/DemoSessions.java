package kz.freedomid.demo.partner;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kz.freedomid.client.FreedomUser;
import kz.freedomid.client.TokenPair;

/** The demo's signed-in browsers, kept in memory: a random cookie value → who is signed in with which token pair. */
final class DemoSessions {
    /** A browser's state: the pending login's state, or the signed-in user. */
    static final class Session {
        volatile String pendingState;
        volatile TokenPair tokens;
        volatile FreedomUser user;
        volatile String profileJson;

        boolean signedIn() {
            return tokens != null;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Session find(String id) {
        return id == null ? null : sessions.get(id);
    }

    String create(Session session) {
        String id = randomToken();
        sessions.put(id, session);
        return id;
    }

    void remove(String id) {
        sessions.remove(id);
    }

    /** Signs out every browser whose token pair Freedom ID revoked; returns how many. */
    int endByTokenPair(String pairId) {
        int[] ended = {0};
        sessions.values().forEach(s -> {
            TokenPair tokens = s.tokens;
            if (tokens != null && pairId.equals(tokens.id())) {
                s.tokens = null;
                s.user = null;
                s.profileJson = null;
                ended[0]++;
            }
        });
        return ended[0];
    }
}
