package kz.freedomid.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;

/**
 * One device authorization request (RFC 8628), known only by the hashes of its codes. The user, session, auth time and
 * amr are set when the user approves.
 */
public record DeviceAuthorization(String deviceCodeHash, String userCodeHash, UUID clientId, Set<Grant> grants,
                                  Status status, Duration interval, Instant createdAt, Instant expiresAt,
                                  Instant lastPolledAt, UUID userId, UUID sessionId, Instant authTime, String amr) {
    public enum Status { PENDING, APPROVED, DENIED, CONSUMED }

    boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** RFC 8628 §3.5: the client polled sooner than the interval allows. */
    boolean polledTooSoon(Instant now) {
        return lastPolledAt != null && now.isBefore(lastPolledAt.plus(interval));
    }
}
