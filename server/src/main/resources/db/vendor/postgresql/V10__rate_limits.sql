-- Rate-limit buckets shared by every node (Bucket4j's PostgreSQL select-for-update store). PostgreSQL only: the
-- embedded H2 serves a single node and keeps its buckets in memory.
CREATE TABLE rate_limit_buckets (
    id         TEXT PRIMARY KEY,   -- limit, caller and setting, e.g. 'otp_send_ip:203.0.113.7@30/30/3600000'
    state      BYTEA,              -- Bucket4j's serialized bucket; null for a row just inserted to be locked
    expires_at BIGINT              -- epoch milliseconds after which the bucket is full again and the row may go
);
CREATE INDEX rate_limit_buckets_expires_idx ON rate_limit_buckets (expires_at);
