package kz.freedomid.login;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

public final class JdbiOtpStore implements OtpStore {
    private final Jdbi jdbi;

    public JdbiOtpStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(Challenge c) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO otp_challenges (id, session_id, phone, code_hash, attempts, created_at, expires_at)
                        VALUES (:id, :session, :phone, :hash, 0, :created, :expires)""")
                .bind("id", c.id()).bind("session", c.sessionId()).bind("phone", c.phone())
                .bind("hash", c.codeHash()).bind("created", c.createdAt()).bind("expires", c.expiresAt())
                .execute());
    }

    @Override
    public SentSummary sentSince(String phone, Instant since) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) AS n, MIN(created_at) AS earliest, MAX(created_at) AS latest FROM otp_challenges WHERE phone = :phone AND created_at > :since")
                .bind("phone", phone).bind("since", since)
                .map((rs, ctx) -> {
                    OffsetDateTime earliest = rs.getObject("earliest", OffsetDateTime.class);
                    OffsetDateTime latest = rs.getObject("latest", OffsetDateTime.class);
                    return new SentSummary(rs.getInt("n"), earliest == null ? null : earliest.toInstant(),
                            latest == null ? null : latest.toInstant());
                })
                .one());
    }

    @Override
    public Optional<Challenge> latestOpen(UUID sessionId, String phone) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, session_id, phone, code_hash, attempts, created_at, expires_at FROM otp_challenges
                        WHERE session_id = :session AND phone = :phone AND verified_at IS NULL
                        ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY""")
                .bind("session", sessionId).bind("phone", phone)
                .map((rs, ctx) -> new Challenge(rs.getObject("id", UUID.class), rs.getObject("session_id", UUID.class),
                        rs.getString("phone"), rs.getString("code_hash"), rs.getInt("attempts"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
                .findOne());
    }

    @Override
    public boolean recordAttempt(UUID id, int max) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE otp_challenges SET attempts = attempts + 1 WHERE id = :id AND attempts < :max AND verified_at IS NULL")
                .bind("id", id).bind("max", max).execute()) == 1;
    }

    @Override
    public void delete(UUID id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM otp_challenges WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public boolean markVerified(UUID id, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE otp_challenges SET verified_at = :now WHERE id = :id AND verified_at IS NULL")
                .bind("now", now).bind("id", id).execute()) == 1;
    }
}
