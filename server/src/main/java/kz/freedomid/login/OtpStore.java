package kz.freedomid.login;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

public interface OtpStore {
    record Challenge(UUID id, UUID sessionId, String phone, String codeHash, int attempts, Instant createdAt,
                     Instant expiresAt) {}

    void insert(Challenge challenge);

    /** How many codes went to this phone since {@code since}, and when the newest one did. */
    SentSummary sentSince(String phone, Instant since);

    record SentSummary(int count, Instant earliest, Instant latest) {}

    /** The newest unverified challenge of this session for this phone. */
    Optional<Challenge> latestOpen(UUID sessionId, String phone);

    /** Counts one attempt, only while fewer than {@code max} were made; false when none are left. */
    boolean recordAttempt(UUID id, int max);

    boolean markVerified(UUID id, Instant now);

    /** Forgets a challenge whose code could not be sent, so it counts neither for the resend wait nor the hourly limit. */
    void delete(UUID id);
}
