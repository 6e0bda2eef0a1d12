package kz.freedomid.login;

import java.time.Instant;
import java.util.UUID;

/** A browser session on the hosted pages. {@code userId} is null until the user signs in. */
public record WebSession(UUID id, UUID userId, Instant authTime, String amr, String pendingPhone,
                         Instant createdAt, Instant expiresAt, Instant lastSeenAt) {
    public boolean signedIn() {
        return userId != null;
    }
}
