package kz.freedomid.login;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.SqlErrors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

public final class JdbiConsentStore implements ConsentStore {
    private final Jdbi jdbi;

    public JdbiConsentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Set<Grant> granted(UUID userId, UUID clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT grants FROM consents WHERE user_id = :user AND client_id = :client")
                .bind("user", userId).bind("client", clientId)
                .mapTo(String.class).findOne().map(Grant::split).orElse(Set.of()));
    }

    /** Portable upsert: update, else insert; a concurrent insert that wins makes us update again. */
    @Override
    public void save(UUID userId, UUID clientId, Set<Grant> grants, Instant now) {
        String joined = Grant.join(grants);
        if (update(userId, clientId, joined, now)) return;
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO consents (user_id, client_id, grants, created_at, updated_at)
                            VALUES (:user, :client, :grants, :now, :now)""")
                    .bind("user", userId).bind("client", clientId).bind("grants", joined).bind("now", now).execute());
        } catch (UnableToExecuteStatementException e) {
            if (!SqlErrors.isUniqueViolation(e)) throw e;
            update(userId, clientId, joined, now);
        }
    }

    @Override
    public boolean withdraw(UUID userId, UUID clientId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM consents WHERE user_id = :user AND client_id = :client")
                .bind("user", userId).bind("client", clientId).execute()) == 1;
    }

    private boolean update(UUID userId, UUID clientId, String grants, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE consents SET grants = :grants, updated_at = :now WHERE user_id = :user AND client_id = :client")
                .bind("grants", grants).bind("now", now).bind("user", userId).bind("client", clientId).execute()) == 1;
    }
}
