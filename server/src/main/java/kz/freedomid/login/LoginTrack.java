package kz.freedomid.login;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;

/** A login link (contract 3.1): where to send the user back, with which grants. Single use. */
public record LoginTrack(UUID id, UUID clientId, String redirectUri, Set<Grant> grants, String state,
                         Instant createdAt, Instant expiresAt, Instant finishedAt) {
    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
