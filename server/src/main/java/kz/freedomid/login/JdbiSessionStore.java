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
    public Optional<WebSession> findLive(String handleHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, user_id, auth_time, amr, pending_phone, created_at, expires_at FROM web_sessions
                        WHERE handle_hash = :handle AND ended_at IS NULL AND expires_at > :now""")
                .bind("handle", handleHash).bind("now", now)
                .map((rs, ctx) -> {
                    OffsetDateTime authTime = rs.getObject("auth_time", OffsetDateTime.class);
                    return new WebSession(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                            authTime == null ? null : authTime.toInstant(), rs.getString("amr"),
                            rs.getString("pending_phone"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("expires_at", OffsetDateTime.class).toInstant());
                })
                .findOne());
    }

    @Override
    public void signIn(UUID sessionId, String newHandleHash, UUID userId, Instant authTime, String amr) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE web_sessions SET handle_hash = :handle, user_id = :user, auth_time = :authTime, amr = :amr,
                            pending_phone = NULL, last_seen_at = :authTime WHERE id = :id""")
                .bind("handle", newHandleHash).bind("user", userId).bind("authTime", authTime).bind("amr", amr)
                .bind("id", sessionId).execute());
    }

    @Override
    public void setPendingPhone(UUID sessionId, String phone) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE web_sessions SET pending_phone = :phone WHERE id = :id")
                .bind("phone", phone).bind("id", sessionId).execute());
    }

    @Override
    public void end(UUID sessionId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE web_sessions SET ended_at = :now WHERE id = :id AND ended_at IS NULL")
                .bind("now", now).bind("id", sessionId).execute());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
