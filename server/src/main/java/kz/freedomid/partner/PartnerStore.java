package kz.freedomid.partner;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public interface PartnerStore {
    void insert(Partner partner);

    Optional<Partner> find(UUID clientId);

    List<Partner> list();

    /** Up to {@code limit} partners in registration order (created_at, client_id), after {@code after} when given. */
    List<Partner> page(kz.freedomid.platform.PageCursor after, int limit);

    /**
     * Changes a partner in one transaction (the row is locked while {@code change} runs, so concurrent changes do not
     * overwrite each other); an exception from {@code change} leaves it as it was. Empty when there is no such partner.
     */
    Optional<PartnerService.Updated> update(UUID clientId, java.util.function.UnaryOperator<Partner> change, Instant now);

    boolean replaceSecret(UUID clientId, String secretHash, Instant now);

    /** Sets (or, with null, removes) the public JWK profiles are encrypted to; false when there is no such partner. */
    boolean setProfileJwk(UUID clientId, String profileJwk, Instant now);

    /** Replaces the partner's service-token permissions; false when there is no such partner. */
    boolean setPermissions(UUID clientId, java.util.Set<String> permissions, Instant now);
}
