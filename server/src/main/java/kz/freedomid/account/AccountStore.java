package kz.freedomid.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;

/** What the account page reads: the partners a user let in, and the user's live sessions. */
public interface AccountStore {
    record ConnectedPartner(UUID clientId, String name, Set<Grant> grants, Instant since, Instant lastUsed) {}

    record ActiveSession(UUID id, String userAgent, String ip, Instant startedAt, Instant lastSeenAt) {}

    List<ConnectedPartner> connectedPartners(UUID userId);

    List<ActiveSession> activeSessions(UUID userId, Instant now);

    /** The owner of a session not ended yet. */
    Optional<UUID> ownerOfLiveSession(UUID sessionId);
}
