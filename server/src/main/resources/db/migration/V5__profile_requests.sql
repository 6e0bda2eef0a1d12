-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 13+.
-- Asynchronous profile requests (contract 3.6 and 3.7). Only the encrypted profile (compact JWE) is stored.

ALTER TABLE partners ADD COLUMN profile_jwk VARCHAR(4000);

CREATE TABLE profile_requests (
    request_id         UUID PRIMARY KEY,          -- chosen by the partner
    client_id          UUID         NOT NULL REFERENCES partners (client_id),
    user_id            UUID         NOT NULL REFERENCES users (id),
    status             VARCHAR(16)  NOT NULL,     -- pending, completed, failed
    status_message     VARCHAR(500),
    payload            VARCHAR(200000),           -- compact JWE encrypted to the partner's key; never plaintext
    partner_created_at TIMESTAMP WITH TIME ZONE,  -- the partner's optional created_at
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at        TIMESTAMP WITH TIME ZONE   -- when it became completed or failed
);

CREATE INDEX profile_requests_status ON profile_requests (status, created_at);
CREATE INDEX profile_requests_finished ON profile_requests (finished_at);
