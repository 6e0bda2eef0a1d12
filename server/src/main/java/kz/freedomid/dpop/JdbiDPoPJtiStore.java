package kz.freedomid.dpop;

import java.time.Instant;
import kz.freedomid.platform.SqlErrors;
import org.jdbi.v3.core.Jdbi;

/** {@link DPoPJtiStore} on dpop_proof_jtis: one insert, the primary key decides a race between nodes. */
public final class JdbiDPoPJtiStore implements DPoPJtiStore {
    private final Jdbi jdbi;

    public JdbiDPoPJtiStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean remember(String jtiHash, Instant expiresAt) {
        return SqlErrors.insertedOnce(() -> jdbi.useHandle(h -> h.createUpdate(
                        "INSERT INTO dpop_proof_jtis (jti_hash, expires_at) VALUES (:hash, :expires)")
                .bind("hash", jtiHash).bind("expires", expiresAt).execute()));
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM dpop_proof_jtis WHERE expires_at < :before")
                .bind("before", before).execute());
    }
}
