package kz.freedomid.login;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

public interface SessionStore {
    void create(WebSession session, String handleHash, String userAgent, String ip);

    /** The live session for a cookie handle. */
    Optional<WebSession> findLive(String handleHash, Instant now);

    /** Binds the user and replaces the handle, so a handle planted before sign-in is worthless after it. */
    void signIn(UUID sessionId, String newHandleHash, UUID userId, Instant authTime, String amr);

    void setPendingPhone(UUID sessionId, String phone);

    void end(UUID sessionId, Instant now);
}
