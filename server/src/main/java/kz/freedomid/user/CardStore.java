package kz.freedomid.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user's cards; only masked numbers ever reach it. */
public interface CardStore {
    /** False when there is no such user. */
    boolean insert(UUID userId, Card card, Instant now);

    List<Card> list(UUID userId);

    /** False when the user has no such card. */
    boolean delete(UUID userId, UUID cardId);
}
