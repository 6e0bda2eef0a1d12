package kz.freedomid.login;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;

public interface ConsentStore {
    Set<Grant> granted(UUID userId, UUID clientId);

    void save(UUID userId, UUID clientId, Set<Grant> grants, Instant now);

    /** Forgets the user's consent to this partner; false when there was none. */
    boolean withdraw(UUID userId, UUID clientId);
}
