package kz.freedomid.login;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

public final class JdbiSessionStore implements SessionStore {
    private final Jdbi jdbi;

    public JdbiSessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(WebSession s, String handleHash, String userAgent, String ip) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO web_sessions (id, handle_hash, user_agent, ip, created_at, last_seen_at, expires_at)
                        VALUES (:id, :handle, :ua, :ip, :created, :created, :expires)""")
                .bind("id", s.id()).bind("handle", handleHash)
                .bind("ua", userAgent == null ? null : truncate(userAgent, 512)).bind("ip", truncate(ip, 64))
                .bind("created", s.createdAt()).bind("expires", s.expiresAt())
                .execute());
    }

    @Override
    public Optional<WebSession> findLive(String handleHash, Instant now, Instant idleCutoff) {
        return jdbi.withHandle(h -> h.createQuery(SELECT_SESSION
                        + " WHERE handle_hash = :handle AND ended_at IS NULL AND expires_at > :now AND last_seen_at > :idle")
                .bind("handle", handleHash).bind("now", now).bind("idle", idleCutoff)
                .map((rs, ctx) -> session(rs))
                .findOne());
    }

    private static final String SELECT_SESSION =
            "SELECT id, user_id, auth_time, amr, pending_phone, created_at, expires_at, last_seen_at FROM web_sessions";

    private static WebSession session(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime authTime = rs.getObject("auth_time", OffsetDateTime.class);
        return new WebSession(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                authTime == null ? null : authTime.toInstant(), rs.getString("amr"),
                rs.getString("pending_phone"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen_at", OffsetDateTime.class).toInstant());
    }

    @Override
    public void signIn(UUID sessionId, String newHandleHash, UUID userId, Instant authTime, String amr, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE web_sessions SET handle_hash = :handle, user_id = :user, auth_time = :authTime, amr = :amr,
                            pending_phone = NULL, last_seen_at = :authTime, expires_at = :expires WHERE id = :id""")
                .bind("handle", newHandleHash).bind("user", userId).bind("authTime", authTime).bind("amr", amr)
                .bind("expires", expiresAt).bind("id", sessionId).execute());
    }

    @Override
    public void setPendingPhone(UUID sessionId, String phone) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE web_sessions SET pending_phone = :phone WHERE id = :id")
                .bind("phone", phone).bind("id", sessionId).execute());
    }

    @Override
    public boolean end(UUID sessionId, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE web_sessions SET ended_at = :now WHERE id = :id AND ended_at IS NULL")
                .bind("now", now).bind("id", sessionId).execute()) == 1;
    }

    @Override
    public java.util.List<WebSession> expiredSignedIn(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery(SELECT_SESSION + """
                         WHERE user_id IS NOT NULL AND ended_at IS NULL AND expires_at <= :now
                        ORDER BY expires_at LIMIT :limit""")
                .bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> session(rs))
                .list());
    }

    @Override
    public void touch(UUID sessionId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE web_sessions SET last_seen_at = :now WHERE id = :id")
                .bind("now", now).bind("id", sessionId).execute());
    }

    @Override
    public java.util.List<UUID> unendedOf(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM web_sessions WHERE user_id = :user AND ended_at IS NULL")
                .bind("user", userId).mapTo(UUID.class).list());
    }

    @Override
    public int purgeDead(Instant cutoff) {
        return jdbi.inTransaction(h -> {
            // One-time codes live minutes, far less than the cutoff: none of a purged session's codes is still useful.
            h.createUpdate("DELETE FROM otp_challenges WHERE expires_at < :cutoff").bind("cutoff", cutoff).execute();
            return h.createUpdate("""
                            DELETE FROM web_sessions WHERE (ended_at < :cutoff OR (user_id IS NULL AND expires_at < :cutoff))
                              AND NOT EXISTS (SELECT 1 FROM otp_challenges o WHERE o.session_id = web_sessions.id)""")
                    .bind("cutoff", cutoff).execute();
        });
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
