package kz.freedomid.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Secrets;

/** Browser sessions: the cookie holds a random handle; the database holds its hash. */
public final class SessionService {
    public record Current(WebSession session, String handle, boolean created) {
        /** Synchronizer token bound to the session handle: a page from another origin cannot know it. */
        public String csrfToken() {
            return csrfFor(handle);
        }
    }

    private final SessionStore store;
    private final Secrets secrets;
    private final Ids ids;
    private final Clock clock;
    private final Duration lifetime;

    public SessionService(SessionStore store, Secrets secrets, Ids ids, Clock clock, Duration lifetime) {
        this.store = store;
        this.secrets = secrets;
        this.ids = ids;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Optional<Current> find(String handle) {
        if (handle == null || handle.length() != 64) return Optional.empty();
        return store.findLive(Secrets.sha256(handle), clock.instant()).map(s -> new Current(s, handle, false));
    }

    /** The session behind this cookie, or a new anonymous one. */
    public Current findOrCreate(String handle, String userAgent, String ip) {
        return find(handle).orElseGet(() -> {
            String fresh = secrets.alphanumeric(64);
            Instant now = clock.instant();
            WebSession session = new WebSession(ids.random(), null, null, null, null, now, now.plus(lifetime));
            store.create(session, Secrets.sha256(fresh), userAgent, ip);
            return new Current(session, fresh, true);
        });
    }

    /** Signs the user in and returns the new handle for the cookie (session fixation defence). */
    public String signIn(WebSession session, UUID userId, String amr) {
        String fresh = secrets.alphanumeric(64);
        store.signIn(session.id(), Secrets.sha256(fresh), userId, clock.instant(), amr);
        return fresh;
    }

    public void rememberVerifiedPhone(WebSession session, String phone) {
        store.setPendingPhone(session.id(), phone);
    }

    public void end(WebSession session) {
        store.end(session.id(), clock.instant());
    }

    public static boolean csrfMatches(String handle, String presented) {
        return handle != null && Secrets.constantTimeEquals(csrfFor(handle), presented);
    }

    static String csrfFor(String handle) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.HexFormat.of().parseHex(Secrets.sha256("csrf:" + handle)));
    }
}
