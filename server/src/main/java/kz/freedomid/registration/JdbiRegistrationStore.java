package kz.freedomid.registration;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

public final class JdbiRegistrationStore implements RegistrationStore {
    private final Jdbi jdbi;

    public JdbiRegistrationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(Stored r) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO client_registrations (client_id, access_token_hash, initial_token_id, metadata, created_at, updated_at)
                        VALUES (:id, :hash, :initial, :metadata, :now, :now)""")
                .bind("id", r.clientId()).bind("hash", r.accessTokenHash()).bind("initial", r.initialTokenId())
                .bind("metadata", r.metadataJson()).bind("now", r.createdAt()).execute());
    }

    @Override
    public Optional<Stored> find(UUID clientId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT client_id, access_token_hash, initial_token_id, metadata, created_at
                        FROM client_registrations WHERE client_id = :id""")
                .bind("id", clientId)
                .map((rs, ctx) -> new Stored(rs.getObject("client_id", UUID.class), rs.getString("access_token_hash"),
                        rs.getObject("initial_token_id", UUID.class), rs.getString("metadata"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .findOne());
    }

    @Override
    public boolean update(UUID clientId, String accessTokenHash, String metadataJson, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE client_registrations SET access_token_hash = :hash, metadata = :metadata, updated_at = :now
                        WHERE client_id = :id""")
                .bind("id", clientId).bind("hash", accessTokenHash).bind("metadata", metadataJson).bind("now", now)
                .execute()) == 1;
    }

    @Override
    public boolean delete(UUID clientId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM client_registrations WHERE client_id = :id")
                .bind("id", clientId).execute()) == 1;
    }
}
