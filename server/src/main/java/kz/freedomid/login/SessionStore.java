package kz.freedomid.login;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

public interface SessionStore {
    void create(WebSession session, String handleHash, String userAgent, String ip);

    /** The live session for a cookie handle: not ended, not expired, used after {@code idleCutoff}. */
    Optional<WebSession> findLive(String handleHash, Instant now, Instant idleCutoff);

    void touch(UUID sessionId, Instant now);

    /** Binds the user and replaces the handle, so a handle planted before sign-in is worthless after it. */
    /** Marks the session signed in under a new handle; its absolute lifetime starts over at {@code expiresAt}. */
    void signIn(UUID sessionId, String newHandleHash, UUID userId, Instant authTime, String amr, Instant expiresAt);

    void setPendingPhone(UUID sessionId, String phone);

    /** False when the session had already ended: exactly one caller ends a session. */
    boolean end(UUID sessionId, Instant now);

    /** Signed-in sessions past their absolute expiry that nobody ended yet, oldest first. */
    java.util.List<WebSession> expiredSignedIn(Instant now, int limit);

    /** Every session of the user not ended yet (expired ones the sweep has not reached included). */
    java.util.List<UUID> unendedOf(UUID userId);

    /** Deletes sessions (and their one-time codes) ended or, when anonymous, expired before {@code cutoff}. */
    int purgeDead(Instant cutoff);
}
