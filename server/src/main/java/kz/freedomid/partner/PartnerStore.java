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
}
