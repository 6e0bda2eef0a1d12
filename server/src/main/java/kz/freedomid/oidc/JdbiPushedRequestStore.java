package kz.freedomid.oidc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@link PushedRequestStore} on the pushed_requests table; single use decided by a conditional update. */
public final class JdbiPushedRequestStore implements PushedRequestStore {
    private final Jdbi jdbi;

    public JdbiPushedRequestStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(String uriHash, UUID clientId, String params, Instant createdAt, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO pushed_requests (uri_hash, client_id, params, created_at, expires_at)
                        VALUES (:hash, :client, :params, :created, :expires)""")
                .bind("hash", uriHash).bind("client", clientId).bind("params", params)
                .bind("created", createdAt).bind("expires", expiresAt).execute());
    }

    @Override
    public Optional<String> consume(String uriHash, UUID clientId, Instant now) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE pushed_requests SET used_at = :now
                            WHERE uri_hash = :hash AND client_id = :client AND used_at IS NULL AND expires_at > :now""")
                    .bind("now", now).bind("hash", uriHash).bind("client", clientId).execute();
            if (updated != 1) return Optional.<String>empty();
            return h.createQuery("SELECT params FROM pushed_requests WHERE uri_hash = :hash")
                    .bind("hash", uriHash).mapTo(String.class).findOne();
        });
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM pushed_requests WHERE expires_at < :before")
                .bind("before", before).execute());
    }
}
