package kz.freedomid.platform.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Token buckets per caller (Bucket4j): on PostgreSQL in the database, so every node counts against the same bucket; on
 * the embedded H2, which serves one node, in memory. Knows nothing of HTTP: callers name a limit and a key.
 */
public final class RateLimiter {
    public enum Limit {
        OTP_SEND_PER_IP("otp_send_ip", false),
        SIGN_IN_PER_IP("sign_in_ip", false),
        CLIENT("client", true),
        CLIENT_IP("client_ip", true);

        /** The metric tag and the bucket key's prefix. */
        public final String id;
        /** On the hot token path, where a bucket may run slightly over across nodes to spare the database. */
        final boolean approximate;

        Limit(String id, boolean approximate) {
            this.id = id;
            this.approximate = approximate;
        }
    }

    private final BucketStore store;
    private final Map<Limit, Bandwidth> limits = new EnumMap<>(Limit.class);
    private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);

    private RateLimiter(BucketStore store, RateLimitSettings settings, MeterRegistry metrics) {
        this.store = store;
        put(Limit.OTP_SEND_PER_IP, settings.otpPerIp());
        put(Limit.SIGN_IN_PER_IP, settings.signInPerIp());
        put(Limit.CLIENT, settings.clientCalls());
        put(Limit.CLIENT_IP, settings.clientCallsPerIp());
        for (Limit limit : Limit.values()) {
            refused.put(limit, Counter.builder("freedom_id_rate_limited").tag("limit", limit.id)
                    .description("Requests refused by a rate limit").register(metrics));
        }
    }

    /** @param dataSource the server's database; used only on PostgreSQL */
    public static RateLimiter create(RateLimitSettings settings, boolean postgres, DataSource dataSource, Clock clock,
                                     MeterRegistry metrics) {
        ClockTimeMeter time = new ClockTimeMeter(clock);
        BucketStore store = postgres ? new PostgresBucketStore(dataSource, time)
                : new LocalBucketStore(time, slowestRefill(settings), 100_000);
        return new RateLimiter(store, settings, metrics);
    }

    /**
     * Takes one token from {@code key}'s bucket of {@code limit}. Empty when the caller may go on; otherwise how long
     * until it may try again, and nothing was taken.
     */
    public Optional<Duration> tryAcquire(Limit limit, String key) {
        Bandwidth bandwidth = limits.get(limit);
        if (bandwidth == null) return Optional.empty();
        ConsumptionProbe probe = store.bucket(limit.id + ":" + key, bandwidth, limit.approximate).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) return Optional.empty();
        refused.get(limit).increment();
        return Optional.of(Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill())));
    }

    /** Forgets buckets that are full again; run now and then (on PostgreSQL it deletes their rows). */
    public int removeExpired() {
        return store.removeExpired();
    }

    private void put(Limit limit, RateLimitSettings.Rate rate) {
        if (rate.off()) return;
        limits.put(limit, Bandwidth.builder().capacity(rate.capacity()).refillGreedy(rate.refill(), rate.period()).build());
    }

    private static Duration slowestRefill(RateLimitSettings s) {
        Duration slowest = Duration.ofMinutes(1);
        for (RateLimitSettings.Rate rate : new RateLimitSettings.Rate[] {s.otpPerIp(), s.signInPerIp(), s.clientCalls(),
                s.clientCallsPerIp()}) {
            if (rate.refillTime().compareTo(slowest) > 0) slowest = rate.refillTime();
        }
        return slowest;
    }
}
