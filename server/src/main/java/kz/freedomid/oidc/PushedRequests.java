package kz.freedomid.oidc;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.platform.Secrets;

/** Pushed authorization requests (RFC 9126): stores a validated request and redeems its request_uri once. */
public final class PushedRequests {
    static final String URN = "urn:ietf:params:oauth:request_uri:";
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final int MAX_PARAMS_CHARS = 16_000;
    /** Client credentials are never kept with the request. */
    private static final Set<String> NOT_STORED = Set.of("client_secret", "client_assertion", "client_assertion_type");

    record Pushed(String requestUri, long expiresIn) {}

    /** Deletes used and expired requests every five minutes, on whichever node runs it. */
    public final RecurringTask<Void> cleanup;
    private final PushedRequestStore store;
    private final Secrets secrets;
    private final Clock clock;

    public PushedRequests(PushedRequestStore store, Secrets secrets, Clock clock) {
        this.cleanup = Tasks.recurring("pushed-request-cleanup", FixedDelay.ofMinutes(5)).execute((instance, ctx) -> cleanup());
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
    }

    Pushed push(Partner client, OAuthParams params) {
        String encoded = params.encode(NOT_STORED);
        if (encoded.length() > MAX_PARAMS_CHARS) throw OAuthException.invalidRequest("The request is too large.");
        String random = secrets.alphanumeric(43);
        Instant now = clock.instant();
        store.insert(Secrets.sha256(random), client.clientId(), encoded, now, now.plus(LIFETIME));
        return new Pushed(URN + random, LIFETIME.toSeconds());
    }

    /** The pushed parameters, or empty when the request_uri is unknown, another client's, expired or already used. */
    Optional<OAuthParams> redeem(Partner client, String requestUri) {
        if (!requestUri.startsWith(URN)) return Optional.empty();
        String hash = Secrets.sha256(requestUri.substring(URN.length()));
        return store.consume(hash, client.clientId(), clock.instant()).map(OAuthParams::decode);
    }

    int cleanup() {
        return store.deleteExpired(clock.instant());
    }
}
