package kz.freedomid.profile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.platform.SqlErrors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

public final class JdbiProfileStore implements ProfileStore {
    private static final String COLUMNS = "request_id, client_id, user_id, status, status_message, payload, "
            + "partner_created_at, created_at, finished_at";

    private final Jdbi jdbi;

    public JdbiProfileStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(ProfileRequest r, Runnable alsoInTransaction) {
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("""
                            INSERT INTO profile_requests (request_id, client_id, user_id, status, status_message, payload,
                                partner_created_at, created_at, finished_at)
                            VALUES (:id, :client, :user, :status, :message, :payload, :partnerCreatedAt, :createdAt, :finishedAt)""")
                    .bind("id", r.requestId())
                    .bind("client", r.clientId())
                    .bind("user", r.userId())
                    .bind("status", r.status().wireName())
                    .bind("message", r.statusMessage())
                    .bind("payload", r.payload())
                    .bind("partnerCreatedAt", r.partnerCreatedAt())
                    .bind("createdAt", r.createdAt())
                    .bind("finishedAt", r.finishedAt())
                    .execute();
                alsoInTransaction.run();
            });
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (SqlErrors.isUniqueViolation(e)) return false;
            throw e;
        }
    }

    @Override
    public Optional<ProfileRequest> find(UUID requestId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM profile_requests WHERE request_id = :id")
                .bind("id", requestId)
                .map(JdbiProfileStore::map)
                .findOne());
    }

    @Override
    public boolean complete(UUID requestId, String payload, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE profile_requests SET status = 'completed', status_message = :message, payload = :payload,
                            finished_at = :now
                        WHERE request_id = :id AND status = 'pending'""")
                .bind("message", "The profile is ready.")
                .bind("payload", payload)
                .bind("now", now)
                .bind("id", requestId)
                .execute()) == 1;
    }

    @Override
    public boolean fail(UUID requestId, String statusMessage, Instant finishedAt) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE profile_requests SET status = 'failed', status_message = :message, finished_at = :at
                        WHERE request_id = :id AND status = 'pending'""")
                .bind("message", statusMessage)
                .bind("at", finishedAt)
                .bind("id", requestId)
                .execute()) == 1;
    }

    @Override
    public List<ProfileRequest> pendingSince(Instant cutoff) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM profile_requests WHERE status = 'pending' AND created_at <= :cutoff")
                .bind("cutoff", cutoff)
                .map(JdbiProfileStore::map)
                .list());
    }

    @Override
    public int purgeFinishedBefore(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM profile_requests WHERE status <> 'pending' AND finished_at <= :cutoff")
                .bind("cutoff", cutoff)
                .execute());
    }

    @Override
    public int partnersConnected(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM consents WHERE user_id = :user AND grants <> ''")
                .bind("user", userId)
                .mapTo(Integer.class)
                .one());
    }

    private static ProfileRequest map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ProfileRequest(
                rs.getObject("request_id", UUID.class),
                rs.getObject("client_id", UUID.class),
                rs.getObject("user_id", UUID.class),
                ProfileRequest.Status.parse(rs.getString("status")),
                rs.getString("status_message"),
                rs.getString("payload"),
                instant(rs, "partner_created_at"),
                instant(rs, "created_at"),
                instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
