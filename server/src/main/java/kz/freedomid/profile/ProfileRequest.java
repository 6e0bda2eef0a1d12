package kz.freedomid.profile;

import java.time.Instant;
import java.util.UUID;

/** One profile request (contract 3.6): the partner's id for it, whose profile, and where it stands. */
public record ProfileRequest(UUID requestId, UUID clientId, UUID userId, Status status, String statusMessage,
                             String payload, Instant partnerCreatedAt, Instant createdAt, Instant finishedAt) {
    public enum Status {
        PENDING, COMPLETED, FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status parse(String stored) {
            return valueOf(stored.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public static ProfileRequest pending(UUID requestId, UUID clientId, UUID userId, Instant partnerCreatedAt, Instant now) {
        return new ProfileRequest(requestId, clientId, userId, Status.PENDING, "The profile is being assembled.", null,
                partnerCreatedAt, now, null);
    }
}
