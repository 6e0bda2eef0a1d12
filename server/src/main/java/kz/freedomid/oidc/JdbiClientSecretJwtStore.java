package kz.freedomid.oidc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@link ClientSecretJwtStore} on the client_secret_jwt table. */
public final class JdbiClientSecretJwtStore implements ClientSecretJwtStore {
    private final Jdbi jdbi;

    public JdbiClientSecretJwtStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void enable(UUID clientId, String sealedSecret, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM client_secret_jwt WHERE client_id = :id").bind("id", clientId).execute();
            h.createUpdate("INSERT INTO client_secret_jwt (client_id, sealed_secret, updated_at) VALUES (:id, :sealed, :now)")
                    .bind("id", clientId).bind("sealed", sealedSecret).bind("now", now).execute();
        });
    }

    @Override
    public boolean reseal(UUID clientId, String sealedSecret, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE client_secret_jwt SET sealed_secret = :sealed, updated_at = :now WHERE client_id = :id")
                .bind("id", clientId).bind("sealed", sealedSecret).bind("now", now).execute()) == 1;
    }

    @Override
    public boolean disable(UUID clientId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM client_secret_jwt WHERE client_id = :id")
                .bind("id", clientId).execute()) == 1;
    }

    @Override
    public Optional<Optional<String>> find(UUID clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT sealed_secret FROM client_secret_jwt WHERE client_id = :id")
                .bind("id", clientId).map((rs, ctx) -> Optional.ofNullable(rs.getString("sealed_secret"))).findOne());
    }
}
