package kz.freedomid.platform.metrics;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds{route,method,status}}: one timer per endpoint path template (never the raw path,
 * which would carry ids and tokens), method and status; requests that matched no endpoint share {@code unmatched}.
 * Timers are looked up in a map of their own, so a request costs one small key and no registry search.
 */
public final class HttpMetrics {
    public static final String NAME = "http_server_requests";
    public static final String UNMATCHED = "unmatched";
    /** Static files are served without an endpoint; they share one label of their own. */
    private static final String STATIC_PREFIX = "/assets/";
    private static final String STATIC_ROUTE = "/assets/*";
    /** A few buckets instead of a full percentile histogram: enough to read p50/p99 against our latency goals. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    private static final java.util.Set<HandlerType> COMMON_METHODS = java.util.Set.copyOf(HandlerType.commonHttp());

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String route, String method, int status) {}

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** For Javalin's request logger, which runs once per request after the response is written. */
    public void record(Context ctx, float executionMillis) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint != null ? endpoint.path : ctx.path().startsWith(STATIC_PREFIX) ? STATIC_ROUTE : UNMATCHED;
        Key key = new Key(route, methodLabel(ctx.method()), ctx.statusCode());
        timers.computeIfAbsent(key, this::timer).record((long) (executionMillis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    /** Javalin accepts any method name a client invents; only the standard ones become label values. */
    private static String methodLabel(HandlerType method) {
        return COMMON_METHODS.contains(method) ? method.name() : "OTHER";
    }

    private Timer timer(Key key) {
        return Timer.builder(NAME).description("HTTP requests by endpoint path template, method and status")
                .tag("route", key.route()).tag("method", key.method()).tag("status", Integer.toString(key.status()))
                .serviceLevelObjectives(BUCKETS).register(registry);
    }
}
