package kz.freedomid.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Device authorization requests (RFC 8628). Every change of state is a conditional update. */
public interface DeviceAuthorizationStore {
    /** False when the user code's hash is taken by another request (the caller draws a new code). */
    boolean insert(DeviceAuthorization request);

    Optional<DeviceAuthorization> findByUserCode(String userCodeHash);

    /**
     * Records the user's decision on a pending, unexpired request: {@code userId} null denies. False when it was not
     * pending any more, or expired.
     */
    boolean decide(String userCodeHash, Instant now, UUID userId, UUID sessionId, Instant authTime, String amr);

    /**
     * Records this client's poll of its device code at {@code now}; when it came sooner than the request's interval
     * after the previous one, the interval grows by {@code slowDown} (RFC 8628 §3.5). Returns the request as it was
     * before; empty (and nothing recorded) when the code is unknown or another client's.
     */
    Optional<DeviceAuthorization> poll(String deviceCodeHash, UUID clientId, Instant now, Duration slowDown);

    /** Marks an approved request consumed; false when another poll consumed it first. Joins an open transaction. */
    boolean consume(String deviceCodeHash);

    /** Deletes requests that expired before {@code before}; how many. */
    int deleteExpired(Instant before);
}
