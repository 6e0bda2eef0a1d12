package kz.freedomid.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The server's public keys, fetched on first use and kept for {@code ttl}. An unknown kid triggers a refetch (the
 * server publishes a new key before it signs with it), at most once per {@code minRefetchInterval} so that forged
 * kids cannot make us hammer the server.
 */
final class JwksCache {
    private final Supplier<JWKSet> fetcher;
    private final Duration ttl;
    private final Duration minRefetchInterval;
    private final Clock clock;
    private JWKSet keys;
    private Instant fetchedAt;

    JwksCache(Supplier<JWKSet> fetcher, Duration ttl, Duration minRefetchInterval, Clock clock) {
        this.fetcher = fetcher;
        this.ttl = ttl;
        this.minRefetchInterval = minRefetchInterval;
        this.clock = clock;
    }

    JwksCache(Transport transport, Duration ttl, Duration minRefetchInterval, Clock clock) {
        this(() -> fetch(transport), ttl, minRefetchInterval, clock);
    }

    /** The key with this kid, or null when the server does not publish it even after a refetch. */
    synchronized JWK key(String kid) {
        Instant now = clock.instant();
        if (keys == null || now.isAfter(fetchedAt.plus(ttl))) refresh(now);
        JWK key = keys.getKeyByKeyId(kid);
        if (key == null && now.isAfter(fetchedAt.plus(minRefetchInterval))) {
            refresh(now);
            key = keys.getKeyByKeyId(kid);
        }
        return key;
    }

    private void refresh(Instant now) {
        keys = fetcher.get();
        fetchedAt = now;
    }

    private static JWKSet fetch(Transport transport) {
        Transport.Response response = transport.send(new Transport.Request("GET", "/api/v1/oidc/jwks", null, null, null, true));
        if (response.status() != 200) throw new FreedomIdTransportException("JWKS answered HTTP " + response.status(), null);
        try {
            return JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new FreedomIdTransportException("the JWKS is not a JWK set", e);
        }
    }
}
