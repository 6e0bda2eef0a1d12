package kz.freedomid.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Holds one user's token pair and refreshes it (contract 3.4) when the access token is within {@code refreshAhead}
 * of expiring. Thread-safe: concurrent callers share one refresh, so a rotated refresh token is never sent twice
 * (which the server would treat as theft, 100105).
 */
public final class RefreshingTokens {
    private final FreedomIdClient client;
    private final Duration refreshAhead;
    private final Clock clock;
    private TokenPair current;

    RefreshingTokens(FreedomIdClient client, TokenPair initial, Duration refreshAhead, Clock clock) {
        this.client = client;
        this.current = Objects.requireNonNull(initial, "initial");
        this.refreshAhead = refreshAhead;
        this.clock = clock;
    }

    /** A valid access token, refreshing the pair first when it is about to expire. */
    public String accessToken() {
        return pair().accessToken();
    }

    /** The current pair, refreshed first when its access token is about to expire. */
    public synchronized TokenPair pair() {
        if (current.accessExpiresAt() == null || !clock.instant().plus(refreshAhead).isBefore(current.accessExpiresAt())) {
            current = client.refresh(current.refreshToken());
        }
        return current;
    }

    /** Refreshes now, whatever the expiry (for example after the server answered 100002). */
    public synchronized TokenPair refreshNow() {
        current = client.refresh(current.refreshToken());
        return current;
    }

    /** The pair held now, without refreshing. */
    public synchronized TokenPair peek() {
        return current;
    }
}
