package kz.freedomid.registration;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Initial access tokens for client registration, by the SHA-256 of their value. */
interface InitialAccessTokenStore {
    void insert(InitialAccessTokens.TokenInfo token, String tokenHash);

    /** The token when it is usable at {@code now}: not revoked, not expired, not used up. */
    Optional<InitialAccessTokens.TokenInfo> findUsable(String tokenHash, Instant now);

    /** Counts one use, in one conditional update; false when the token stopped being usable meanwhile. */
    boolean consume(UUID id, Instant now);

    List<InitialAccessTokens.TokenInfo> list();

    /** False when there is no such token or it was already revoked. */
    boolean revoke(UUID id, Instant now);
}
