package kz.freedomid.registration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

public final class JdbiInitialAccessTokenStore implements InitialAccessTokenStore {
    private static final String USABLE = "revoked_at IS NULL AND expires_at > :now AND (max_uses IS NULL OR uses < max_uses)";
    private static final String COLUMNS = "id, note, created_at, expires_at, max_uses, uses, revoked_at";

    private final Jdbi jdbi;

    public JdbiInitialAccessTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(InitialAccessTokens.TokenInfo t, String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO registration_tokens (id, token_hash, note, created_at, expires_at, max_uses, uses)
                        VALUES (:id, :hash, :note, :created, :expires, :maxUses, 0)""")
                .bind("id", t.id()).bind("hash", tokenHash).bind("note", t.note()).bind("created", t.createdAt())
                .bind("expires", t.expiresAt()).bind("maxUses", t.maxUses()).execute());
    }

    @Override
    public Optional<InitialAccessTokens.TokenInfo> findUsable(String tokenHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM registration_tokens WHERE token_hash = :hash AND " + USABLE)
                .bind("hash", tokenHash).bind("now", now).map(JdbiInitialAccessTokenStore::map).findOne());
    }

    @Override
    public boolean consume(UUID id, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE registration_tokens SET uses = uses + 1 WHERE id = :id AND " + USABLE)
                .bind("id", id).bind("now", now).execute()) == 1;
    }

    @Override
    public List<InitialAccessTokens.TokenInfo> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM registration_tokens ORDER BY created_at, id")
                .map(JdbiInitialAccessTokenStore::map).list());
    }

    @Override
    public boolean revoke(UUID id, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE registration_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).bind("now", now).execute()) == 1;
    }

    private static InitialAccessTokens.TokenInfo map(ResultSet rs, StatementContext ctx) throws SQLException {
        int maxUses = rs.getInt("max_uses");
        boolean unlimited = rs.wasNull();
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new InitialAccessTokens.TokenInfo(rs.getObject("id", UUID.class), rs.getString("note"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(), unlimited ? null : maxUses, rs.getInt("uses"),
                revoked == null ? null : revoked.toInstant());
    }
}
