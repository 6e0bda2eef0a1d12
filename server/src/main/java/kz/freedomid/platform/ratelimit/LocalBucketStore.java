package kz.freedomid.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Buckets in this process's memory, for the embedded single-node H2 setup. Bounded: a bucket unused for as long as the
 * slowest limit takes to refill is forgotten (it would be full again anyway), and at most {@code maxBuckets} are kept.
 */
final class LocalBucketStore implements BucketStore {
    private final Cache<String, Bucket> buckets;
    private final TimeMeter time;

    LocalBucketStore(TimeMeter time, Duration forgetAfter, long maxBuckets) {
        this.time = time;
        this.buckets = Caffeine.newBuilder().maximumSize(maxBuckets).expireAfterAccess(forgetAfter)
                .ticker(time::currentTimeNanos).build();
    }

    @Override
    public Bucket bucket(String id, Bandwidth limit, boolean approximate) {
        return buckets.get(id, key -> Bucket.builder().withCustomTimePrecision(time)
                .addLimit(limit).build());
    }
}
