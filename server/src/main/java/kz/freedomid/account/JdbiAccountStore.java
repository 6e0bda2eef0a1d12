package kz.freedomid.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import org.jdbi.v3.core.Jdbi;

public final class JdbiAccountStore implements AccountStore {
    private final Jdbi jdbi;

    public JdbiAccountStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<ConnectedPartner> connectedPartners(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.client_id, p.name, c.grants, c.created_at,
                               (SELECT MAX(t.created_at) FROM token_pairs t
                                 WHERE t.user_id = c.user_id AND t.client_id = c.client_id) AS last_used
                        FROM consents c JOIN partners p ON p.client_id = c.client_id
                        WHERE c.user_id = :user ORDER BY c.created_at, p.name""")
                .bind("user", userId)
                .map((rs, ctx) -> new ConnectedPartner(rs.getObject("client_id", UUID.class), rs.getString("name"),
                        Grant.split(rs.getString("grants")), instant(rs, "created_at"), instant(rs, "last_used")))
                .list());
    }

    @Override
    public List<ActiveSession> activeSessions(UUID userId, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, user_agent, ip, COALESCE(auth_time, created_at) AS started_at, last_seen_at
                        FROM web_sessions WHERE user_id = :user AND ended_at IS NULL AND expires_at > :now
                        ORDER BY last_seen_at DESC""")
                .bind("user", userId).bind("now", now)
                .map((rs, ctx) -> new ActiveSession(rs.getObject("id", UUID.class), rs.getString("user_agent"),
                        rs.getString("ip"), instant(rs, "started_at"), instant(rs, "last_seen_at")))
                .list());
    }

    @Override
    public Optional<UUID> ownerOfLiveSession(UUID sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM web_sessions WHERE id = :id AND ended_at IS NULL")
                .bind("id", sessionId).mapTo(UUID.class).findOne());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
