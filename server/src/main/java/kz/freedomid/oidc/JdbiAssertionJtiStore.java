package kz.freedomid.oidc;

import kz.freedomid.platform.SqlErrors;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@link AssertionJtiStore} on client_assertion_jtis; the primary key decides a race between nodes. */
public final class JdbiAssertionJtiStore implements AssertionJtiStore {
    private final Jdbi jdbi;

    public JdbiAssertionJtiStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean remember(UUID clientId, String jti, Instant expiresAt) {
        return SqlErrors.insertedOnce(() -> jdbi.useHandle(h -> h.createUpdate(
                        "INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (:client, :jti, :expires)")
                .bind("client", clientId).bind("jti", jti).bind("expires", expiresAt).execute()));
    }

    @Override
    public int deleteExpired(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM client_assertion_jtis WHERE expires_at < :before")
                .bind("before", before).execute());
    }
}
