package kz.freedomid.partner;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public interface PartnerStore {
    void insert(Partner partner);

    Optional<Partner> find(UUID clientId);

    List<Partner> list();

    boolean replaceSecret(UUID clientId, String secretHash, Instant now);

    /** Sets (or, with null, removes) the public JWK profiles are encrypted to; false when there is no such partner. */
    boolean setProfileJwk(UUID clientId, String profileJwk, Instant now);
}
