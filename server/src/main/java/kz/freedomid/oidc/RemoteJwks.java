package kz.freedomid.oidc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kz.freedomid.partner.PartnerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWK sets private_key_jwt clients publish at their {@code jwks_uri} (RFC 7591 §2, OIDC Core §10.1.1). Fetched over
 * https (plain http only to a loopback address, and only in development mode), in at most {@link #TIMEOUT} and
 * {@link #MAX_BYTES}, without following redirects; kept for {@link #TTL}; fetched again before that when an assertion
 * names a key id the cached set lacks (the client rotated its keys), at most once per {@link #MIN_REFETCH} per URL, so
 * that made-up key ids cannot make this server hammer a client's host. A node-local cache is enough: it only holds
 * what the client publishes, and every node converges within the TTL.
 */
public final class RemoteJwks {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_BYTES = 64 * 1024;
    static final Duration TTL = Duration.ofMinutes(5);
    static final Duration MIN_REFETCH = Duration.ofSeconds(30);

    /** {@code keys} null until one fetch succeeded; {@code attemptedAt} is the last fetch, good or not. */
    private record Entry(JWKSet keys, Instant fetchedAt, Instant attemptedAt) {
        boolean attemptedWithin(Duration period, Instant now) {
            return attemptedAt.plus(period).isAfter(now);
        }
    }

    private final Cache<String, Entry> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    private final kz.freedomid.platform.Lazy<HttpClient> http = new kz.freedomid.platform.Lazy<>(
            () -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build());
    private final Clock clock;
    private final boolean dev;

    /** @param dev development mode: plain http is then allowed to loopback addresses (local test servers) */
    public RemoteJwks(Clock clock, boolean dev) {
        this.clock = clock;
        this.dev = dev;
    }

    /** Whether this server would fetch keys from {@code uri}: https, or (development mode) http to a loopback host. */
    public boolean acceptable(String uri) {
        return acceptable(uri, dev);
    }

    /** @param dev development mode, where http to a loopback host is allowed too */
    public static boolean acceptable(String uri, boolean dev) {
        if (uri == null || uri.length() > 2000) return false;
        try {
            URI u = new URI(uri);
            if (u.getHost() == null || u.getRawFragment() != null || u.getRawUserInfo() != null) return false;
            if ("https".equals(u.getScheme())) return true;
            return dev && "http".equals(u.getScheme()) && isLoopback(u.getHost());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The cached set, or a fresh one once the cache entry is older than the TTL; empty when it cannot be had. */
    Optional<JWKSet> get(String uri) {
        Entry entry = cache.getIfPresent(uri);
        Instant now = clock.instant();
        if (entry != null && entry.keys() != null && entry.fetchedAt().plus(TTL).isAfter(now)) return Optional.of(entry.keys());
        // A host that just failed is not asked again at once; the last good set serves meanwhile.
        if (entry != null && entry.attemptedWithin(MIN_REFETCH, now)) return Optional.ofNullable(entry.keys());
        return fetch(uri).or(() -> Optional.ofNullable(entry).map(Entry::keys));
    }

    /** A fresh set for a key id the cached one lacks, unless the set was fetched less than {@link #MIN_REFETCH} ago. */
    Optional<JWKSet> refetch(String uri) {
        Entry entry = cache.getIfPresent(uri);
        if (entry != null && entry.attemptedWithin(MIN_REFETCH, clock.instant())) return Optional.empty();
        return fetch(uri);
    }

    private Optional<JWKSet> fetch(String uri) {
        if (!acceptable(uri)) return Optional.empty();
        if (!dev && !publicHost(URI.create(uri).getHost())) {
            LOG.info("jwks_uri {} names a loopback, private or link-local address: not fetched", uri);
            remember(uri, null);
            return Optional.empty();
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT)
                    .header("Accept", "application/jwk-set+json, application/json").GET().build();
            HttpResponse<InputStream> response = http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (response.statusCode() != 200 || body.length > MAX_BYTES) {
                LOG.info("jwks_uri {} answered {} ({} bytes): not used", uri, response.statusCode(), body.length);
                remember(uri, null);
                return Optional.empty();
            }
            JWKSet keys = JWKSet.parse(PartnerService.publicJwks(new String(body, StandardCharsets.UTF_8)));
            remember(uri, keys);
            return Optional.of(keys);
        } catch (IOException | IllegalArgumentException | java.text.ParseException e) {
            LOG.info("jwks_uri {} could not be fetched: {}", uri, e.toString());
            remember(uri, null);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A failed fetch counts as an attempt for the refetch limit, but keeps the last good set. */
    private void remember(String uri, JWKSet keys) {
        Instant now = clock.instant();
        Entry old = cache.getIfPresent(uri);
        cache.put(uri, keys != null ? new Entry(keys, now, now)
                : new Entry(old == null ? null : old.keys(), old == null ? now : old.fetchedAt(), now));
    }

    /**
     * Whether every address of {@code host} is a public one, so that a client's jwks_uri cannot make this server reach
     * into its own network (SSRF): loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (cloud
     * metadata at 169.254.169.254), wildcard and multicast addresses are refused. The HTTP client resolves the name
     * again; a DNS answer that changes in between (rebinding) is not covered by this check.
     */
    static boolean publicHost(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            for (InetAddress a : InetAddress.getAllByName(literal)) {
                boolean uniqueLocalV6 = a instanceof java.net.Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                        || a.isMulticastAddress() || uniqueLocalV6) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) return true;
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) return false; // only literal addresses: no DNS look-up here
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
