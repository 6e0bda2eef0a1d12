package kz.freedomid.device;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.SqlErrors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link DeviceAuthorizationStore} on the device_authorizations table. */
public final class JdbiDeviceAuthorizationStore implements DeviceAuthorizationStore {
    private final Jdbi jdbi;

    public JdbiDeviceAuthorizationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(DeviceAuthorization r) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO device_authorizations (device_code_hash, user_code_hash, client_id, grants, status,
                                interval_seconds, created_at, expires_at)
                            VALUES (:device, :user, :client, :grants, :status, :interval, :created, :expires)""")
                    .bind("device", r.deviceCodeHash()).bind("user", r.userCodeHash()).bind("client", r.clientId())
                    .bind("grants", Grant.join(r.grants())).bind("status", status(r.status()))
                    .bind("interval", (int) r.interval().toSeconds()).bind("created", r.createdAt())
                    .bind("expires", r.expiresAt()).execute());
            return true;
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) return false;
            throw e;
        }
    }

    @Override
    public Optional<DeviceAuthorization> findByUserCode(String userCodeHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM device_authorizations WHERE user_code_hash = :hash")
                .bind("hash", userCodeHash).map(JdbiDeviceAuthorizationStore::map).findOne());
    }

    @Override
    public boolean decide(String userCodeHash, Instant now, UUID userId, UUID sessionId, Instant authTime, String amr) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE device_authorizations SET status = :status, user_id = :user, session_id = :session,
                            auth_time = :authTime, amr = :amr, decided_at = :now
                        WHERE user_code_hash = :hash AND status = 'pending' AND expires_at > :now""")
                .bind("status", userId == null ? "denied" : "approved").bind("user", userId).bind("session", sessionId)
                .bind("authTime", authTime).bind("amr", amr).bind("now", now).bind("hash", userCodeHash)
                .execute()) == 1;
    }

    @Override
    public Optional<DeviceAuthorization> poll(String deviceCodeHash, UUID clientId, Instant now, Duration slowDown) {
        return jdbi.inTransaction(h -> {
            Optional<DeviceAuthorization> before = h.createQuery(
                            "SELECT * FROM device_authorizations WHERE device_code_hash = :hash AND client_id = :client FOR UPDATE")
                    .bind("hash", deviceCodeHash).bind("client", clientId).map(JdbiDeviceAuthorizationStore::map).findOne();
            before.ifPresent(r -> h.createUpdate("""
                            UPDATE device_authorizations SET last_polled_at = :now, interval_seconds = :interval
                            WHERE device_code_hash = :hash""")
                    .bind("now", now).bind("hash", deviceCodeHash)
                    .bind("interval", (int) (r.polledTooSoon(now) ? r.interval().plus(slowDown) : r.interval()).toSeconds())
                    .execute());
            return before;
        });
    }

    @Override
    public boolean consume(String deviceCodeHash) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE device_authorizations SET status = 'consumed'
                        WHERE device_code_hash = :hash AND status = 'approved'""")
                .bind("hash", deviceCodeHash).execute()) == 1;
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM device_authorizations WHERE expires_at < :before")
                .bind("before", before).execute());
    }

    private static String status(DeviceAuthorization.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static DeviceAuthorization map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DeviceAuthorization(rs.getString("device_code_hash"), rs.getString("user_code_hash"),
                rs.getObject("client_id", UUID.class), Grant.split(rs.getString("grants")),
                DeviceAuthorization.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                Duration.ofSeconds(rs.getInt("interval_seconds")), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "last_polled_at"), rs.getObject("user_id", UUID.class), rs.getObject("session_id", UUID.class),
                instant(rs, "auth_time"), rs.getString("amr"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
