package kz.freedomid.partner;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import kz.freedomid.platform.PageCursor;

/**
 * Partner records by client_id for the hot paths (client authentication at the token, introspection and
 * authorization-link endpoints look the partner up on every request), kept for at most {@link #MAX_AGE}.
 *
 * <p>Bounds: a change made through this node's store is seen by this node at once (the entry is dropped after the
 * write commits; Caffeine makes a lookup running at that moment finish before the entry is dropped, so it cannot put
 * the old record back). A change made on another node, or by the admin command line in another process, is seen
 * within {@link #MAX_AGE}: a disabled partner or a replaced secret keeps authenticating on other nodes for at most
 * that long, the same bound as revocation across nodes. Tokens are never cached: every token lookup joins the
 * partner's row and checks its status in the same query, so a disabled partner's tokens stop at once everywhere.
 * Unknown client_ids are not cached (a partner registered on another node works at once).
 */
public final class CachingPartnerStore implements PartnerStore {
    /** How long another node's change may take to be seen here. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final PartnerStore store;
    private final Cache<UUID, Partner> cache;

    public CachingPartnerStore(PartnerStore store) {
        this.store = store;
        this.cache = Caffeine.newBuilder().expireAfterWrite(MAX_AGE).maximumSize(10_000).build();
    }

    @Override
    public Optional<Partner> find(UUID clientId) {
        // A null from the loader is not stored: unknown ids always go to the database.
        return Optional.ofNullable(cache.get(clientId, id -> store.find(id).orElse(null)));
    }

    @Override
    public void insert(Partner partner) {
        try {
            store.insert(partner);
        } finally {
            cache.invalidate(partner.clientId());
        }
    }

    @Override
    public List<Partner> list() {
        return store.list();
    }

    @Override
    public List<Partner> page(PageCursor after, int limit) {
        return store.page(after, limit);
    }

    @Override
    public Optional<PartnerService.Updated> update(UUID clientId, UnaryOperator<Partner> change, Instant now) {
        try {
            return store.update(clientId, change, now);
        } finally {
            cache.invalidate(clientId);
        }
    }

    @Override
    public boolean replaceSecret(UUID clientId, String secretHash, Instant now) {
        try {
            return store.replaceSecret(clientId, secretHash, now);
        } finally {
            cache.invalidate(clientId);
        }
    }

    @Override
    public boolean setProfileJwk(UUID clientId, String profileJwk, Instant now) {
        try {
            return store.setProfileJwk(clientId, profileJwk, now);
        } finally {
            cache.invalidate(clientId);
        }
    }

    @Override
    public boolean setPermissions(UUID clientId, Set<String> permissions, Instant now) {
        try {
            return store.setPermissions(clientId, permissions, now);
        } finally {
            cache.invalidate(clientId);
        }
    }
}
