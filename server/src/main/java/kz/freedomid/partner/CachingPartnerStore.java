package kz.freedomid.partner;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import kz.freedomid.platform.ClusterEvents;
import kz.freedomid.platform.PageCursor;

/**
 * Partner records by client_id for the hot paths (client authentication at the token, introspection and
 * authorization-link endpoints look the partner up on every request).
 *
 * <p>Bounds. A change made through this node's store is seen by this node at once (the entry is dropped after the
 * write commits; Caffeine makes a lookup running at that moment finish before the entry is dropped, so it cannot put
 * the old record back). Every change through a store, on any node or in the admin command line, also announces
 * {@code partner:<client_id>} in its own transaction ({@link ClusterEvents}), and other nodes see it:
 * <ul>
 *   <li>within milliseconds of the commit while they listen (PostgreSQL, a serving node): the entry is dropped when
 *       the message arrives, and otherwise kept up to FREEDOM_ID_CACHE_MAX_AGE_SECONDS (30 s by default), the safety
 *       net for a change that announces nothing (a row changed by hand);</li>
 *   <li>within {@link #UNHEARD_MAX_AGE} while they do not (H2, the admin command line, a listening connection lost and
 *       not back yet): an entry is then used for at most that long after it was read, as without notifications, and
 *       entries read before the connection was lost fall back to that bound as well;</li>
 *   <li>within {@link ClusterEvents#TRUST_WINDOW} in the worst case, when notifications silently stop arriving: the
 *       node notices by its echo (ClusterEvents) and falls back to the bound above.</li>
 * </ul>
 * So a disabled partner or a replaced secret keeps authenticating on other nodes that long at most. Tokens are never
 * cached: every token lookup joins the partner's row and checks its status in the same query, so a disabled partner's
 * tokens stop at once everywhere. Unknown client_ids are not cached (a partner registered on another node works at
 * once).
 */
public final class CachingPartnerStore implements PartnerStore {
    /** How long an entry is used when this node is not listening for changes (H2, or the listener down). */
    public static final Duration UNHEARD_MAX_AGE = ClusterEvents.UNHEARD_MAX_AGE;

    private record Cached(Partner partner, ClusterEvents.Stamp stamp) {}

    private final PartnerStore store;
    private final ClusterEvents events;
    private final Cache<UUID, Cached> cache;

    public CachingPartnerStore(PartnerStore store, ClusterEvents events) {
        this.store = store;
        this.events = events;
        // Entries are checked against the bounds at every use; this expiry only returns the memory.
        this.cache = Caffeine.newBuilder().expireAfterWrite(events.maxAge()).maximumSize(10_000).build();
        events.subscribe("partner", this::heard);
    }

    @Override
    public Optional<Partner> find(UUID clientId) {
        // A null from the loader is not stored: unknown ids always go to the database.
        Cached cached = cache.get(clientId, this::load);
        if (cached != null && !events.isFresh(cached.stamp())) {
            cache.asMap().remove(clientId, cached);
            cached = cache.get(clientId, this::load);
        }
        return Optional.ofNullable(cached).map(Cached::partner);
    }

    private Cached load(UUID clientId) {
        ClusterEvents.Stamp stamp = events.stamp(); // before the read: a change after it is announced after it
        return store.find(clientId).map(p -> new Cached(p, stamp)).orElse(null);
    }

    private void heard(String clientId) {
        try {
            cache.invalidate(UUID.fromString(clientId));
        } catch (IllegalArgumentException e) {
            cache.invalidateAll();
        }
    }

    @Override
    public void insert(Partner partner) {
        try {
            store.insert(partner); // nothing to announce: unknown client_ids are never cached
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
        return changing(clientId, () -> store.update(clientId, change, now));
    }

    @Override
    public boolean replaceSecret(UUID clientId, String secretHash, Instant now) {
        return changing(clientId, () -> store.replaceSecret(clientId, secretHash, now));
    }

    @Override
    public boolean setProfileJwk(UUID clientId, String profileJwk, Instant now) {
        return changing(clientId, () -> store.setProfileJwk(clientId, profileJwk, now));
    }

    @Override
    public boolean setPermissions(UUID clientId, Set<String> permissions, Instant now) {
        return changing(clientId, () -> store.setPermissions(clientId, permissions, now));
    }

    private <T> T changing(UUID clientId, Supplier<T> change) {
        try {
            return events.announcing("partner:" + clientId, change);
        } finally {
            cache.invalidate(clientId);
        }
    }
}
