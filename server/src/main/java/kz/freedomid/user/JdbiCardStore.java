package kz.freedomid.user;

import java.util.List;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

public final class JdbiCardStore implements CardStore {
    private final Jdbi jdbi;

    public JdbiCardStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(UUID userId, Card card, Instant now) {
        // INSERT … SELECT: an unknown user inserts nothing, the same way on H2 and PostgreSQL (their foreign-key errors differ)
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO user_cards (id, user_id, masked_pan, brand, expiry, created_at)
                        SELECT :id, u.id, :pan, :brand, :expiry, :now FROM users u WHERE u.id = :user""")
                .bind("id", card.id()).bind("user", userId).bind("pan", card.maskedPan()).bind("brand", card.brand())
                .bind("expiry", card.expiry()).bind("now", now)
                .execute()) == 1;
    }

    @Override
    public List<Card> list(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, masked_pan, brand, expiry FROM user_cards WHERE user_id = :user ORDER BY created_at, id")
                .bind("user", userId)
                .map((rs, ctx) -> new Card(rs.getObject("id", UUID.class), rs.getString("masked_pan"), rs.getString("brand"),
                        rs.getString("expiry")))
                .list());
    }

    @Override
    public boolean delete(UUID userId, UUID cardId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM user_cards WHERE id = :id AND user_id = :user")
                .bind("id", cardId).bind("user", userId).execute()) == 1;
    }
}
