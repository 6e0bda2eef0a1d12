package kz.freedomid.dpop;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link DPoPJtiStore} on dpop_proof_jtis: one insert, the primary key decides a race between nodes. */
public final class JdbiDPoPJtiStore implements DPoPJtiStore {
    private final Jdbi jdbi;

    public JdbiDPoPJtiStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean remember(String jtiHash, Instant expiresAt) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO dpop_proof_jtis (jti_hash, expires_at) VALUES (:hash, :expires)")
                    .bind("hash", jtiHash).bind("expires", expiresAt).execute());
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("23")) {
                return false; // integrity constraint violation: a replay
            }
            throw e;
        }
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM dpop_proof_jtis WHERE expires_at < :before")
                .bind("before", before).execute());
    }
}
