package kz.freedomid.platform.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/** Where buckets live: in this process (embedded H2, one node) or in PostgreSQL, shared by every node. */
interface BucketStore {
    /**
     * @param approximate true where a bucket may run a few tokens over across nodes in exchange for not asking the
     *                    database on every request (the hot token endpoints)
     */
    Bucket bucket(String id, Bandwidth limit, boolean approximate);

    /** Deletes buckets that have been full and unused for a while; nothing to do where a cache evicts them. */
    default int removeExpired() {
        return 0;
    }
}
