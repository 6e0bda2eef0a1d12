package kz.freedomid.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.delay.DelayOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Buckets in the {@code rate_limit_buckets} table, shared by every node. An exact check is one short transaction:
 * {@code SELECT … FOR UPDATE}, {@code UPDATE}, {@code COMMIT} (a bucket's first use inserts its row first).
 * <p>
 * Approximate buckets (the token endpoints) keep a copy of the bucket in this node and consume from it, writing the
 * consumed tokens back after a tenth of the bucket's capacity or a second, whichever comes first: the database sees a
 * fraction of the requests, and the whole cluster can run over a limit by at most that tenth per node. A caller that is
 * refused is refused from the copy, so a runaway client does not load the database either.
 */
final class PostgresBucketStore implements BucketStore {
    private static final Duration SYNC_AT_LEAST_EVERY = Duration.ofSeconds(1);

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final TimeMeter time;
    /** The approximate buckets' local copies, which only help while they are reused. */
    private final Cache<String, Bucket> approximate;

    PostgresBucketStore(DataSource dataSource, TimeMeter time) {
        this.time = time;
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .clientClock(time)
                // A row is kept a minute past the moment its bucket would be full again, then it may be deleted.
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
        this.approximate = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    @Override
    public Bucket bucket(String id, Bandwidth limit, boolean approximately) {
        // The stored row keeps the configuration it was created with; naming the setting in the key makes a changed
        // setting apply at once (to fresh buckets), while the old rows expire.
        String key = id + "@" + limit.getCapacity() + "/" + limit.getRefillTokens() + "/" + limit.getRefillPeriodNanos() / 1_000_000;
        if (!approximately) return buckets.builder().build(key, () -> configuration(limit));
        return approximate.get(key, k -> buckets.builder()
                .withOptimization(new DelayOptimization(new DelayParameters(Math.max(1, limit.getCapacity() / 10),
                        SYNC_AT_LEAST_EVERY), NopeOptimizationListener.INSTANCE, time))
                .build(k, () -> configuration(limit)));
    }

    private static BucketConfiguration configuration(Bandwidth limit) {
        return BucketConfiguration.builder().addLimit(limit).build();
    }

    @Override
    public int removeExpired() {
        int removed = 0;
        int batch;
        do {
            batch = buckets.removeExpired(1000);
            removed += batch;
        } while (batch == 1000);
        return removed;
    }
}
