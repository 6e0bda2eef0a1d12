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
    /**
     * The idle timeout retires the browser's cookie only: the partner tokens granted in the session live on until the
     * session's absolute end (or a logout), so a partner that refreshes weekly is not cut off by a quiet browser.
     * A session's last use is written at most this often: enough for the idle timeout and the sessions list. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /**
     * A session nobody signed in to is only the scaffolding of a sign-in in progress (its CSRF token, the verified
     * phone): it lives an hour, so a crawler opening the login page cannot fill the table for a month.
     */
    static final Duration ANONYMOUS_LIFETIME = Duration.ofHours(1);

    private final Duration lifetime;
    private final Duration idle;

    public SessionService(SessionStore store, Secrets secrets, Ids ids, Clock clock, Duration lifetime, Duration idle) {
        this.idle = idle;
        this.store = store;
        this.secrets = secrets;
        this.ids = ids;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Optional<Current> find(String handle) {
        if (handle == null || handle.length() != 64) return Optional.empty();
        Instant now = clock.instant();
        Optional<WebSession> live = store.findLive(Secrets.sha256(handle), now, now.minus(idle));
        live.filter(s -> s.lastSeenAt().plus(TOUCH_EVERY).isBefore(now)).ifPresent(s -> store.touch(s.id(), now));
        return live.map(s -> new Current(s, handle, false));
    }

    /** The session behind this cookie, or a new anonymous one. */
    public Current findOrCreate(String handle, String userAgent, String ip) {
        return find(handle).orElseGet(() -> {
            String fresh = secrets.alphanumeric(64);
            Instant now = clock.instant();
            Instant expires = now.plus(lifetime.compareTo(ANONYMOUS_LIFETIME) < 0 ? lifetime : ANONYMOUS_LIFETIME);
            WebSession session = new WebSession(ids.random(), null, null, null, null, now, expires, now);
            store.create(session, Secrets.sha256(fresh), userAgent, ip);
            return new Current(session, fresh, true);
        });
    }

    /** Signs the user in and returns the new handle for the cookie (session fixation defence). */
    public String signIn(WebSession session, UUID userId, String amr) {
        String fresh = secrets.alphanumeric(64);
        Instant now = clock.instant();
        store.signIn(session.id(), Secrets.sha256(fresh), userId, now, amr, now.plus(lifetime));
        return fresh;
    }

    public void rememberVerifiedPhone(WebSession session, String phone) {
        store.setPendingPhone(session.id(), phone);
    }

    /** Ends the session; false when it had already ended (exactly one caller ends it). */
    public boolean end(UUID sessionId) {
        return store.end(sessionId, clock.instant());
    }

    /** Signed-in sessions past their absolute expiry that were not ended yet, at most {@code limit}. */
    public java.util.List<WebSession> expiredSignedIn(int limit) {
        return store.expiredSignedIn(clock.instant(), limit);
    }

    public java.util.List<UUID> unendedOf(UUID userId) {
        return store.unendedOf(userId);
    }

    /** Forgets sessions that ended (or, anonymous, expired) longer than {@code keep} ago. */
    public int purgeDead(Duration keep) {
        return store.purgeDead(clock.instant().minus(keep));
    }

    public static boolean csrfMatches(String handle, String presented) {
        return handle != null && Secrets.constantTimeEquals(csrfFor(handle), presented);
    }

    static String csrfFor(String handle) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.HexFormat.of().parseHex(Secrets.sha256("csrf:" + handle)));
    }
}
