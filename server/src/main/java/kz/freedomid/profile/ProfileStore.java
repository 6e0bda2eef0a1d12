package kz.freedomid.profile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Profile requests at rest. Only the encrypted profile (a compact JWE) is ever stored. */
public interface ProfileStore {
    /** False when the request_id exists already (whoever owns it). */
    /**
     * Inserts the request and runs {@code alsoInTransaction} (queueing its job) in the same transaction; false, with
     * nothing written, when the request id is taken.
     */
    boolean insert(ProfileRequest request, Runnable alsoInTransaction);

    Optional<ProfileRequest> find(UUID requestId);

    /** Pending → completed; false when it was no longer pending (for example it timed out meanwhile). */
    boolean complete(UUID requestId, String payload, Instant now);

    /** Pending → failed; false when it was no longer pending. */
    boolean fail(UUID requestId, String statusMessage, Instant finishedAt);

    /** Pending requests created at or before {@code cutoff}. */
    List<ProfileRequest> pendingSince(Instant cutoff);

    /** Deletes completed and failed requests that finished at or before {@code cutoff}; returns how many. */
    int purgeFinishedBefore(Instant cutoff);

    /** How many partners the user has consented to (a consent with at least one grant). */
    int partnersConnected(UUID userId);
}
