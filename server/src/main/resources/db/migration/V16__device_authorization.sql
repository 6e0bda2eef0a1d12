-- Device authorization grant (RFC 8628). A request is kept by the SHA-256 of its device_code and of its normalised
-- user_code, never by the codes themselves. status: pending → approved | denied → consumed (tokens issued once).
CREATE TABLE device_authorizations (
    device_code_hash VARCHAR(64)   PRIMARY KEY,
    user_code_hash   VARCHAR(64)   NOT NULL,
    client_id        UUID          NOT NULL,
    grants           VARCHAR(1000) NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    interval_seconds INTEGER       NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_polled_at   TIMESTAMP WITH TIME ZONE,
    user_id          UUID,
    session_id       UUID,
    auth_time        TIMESTAMP WITH TIME ZONE,
    amr              VARCHAR(64),
    decided_at       TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX device_authorizations_user_code ON device_authorizations (user_code_hash);
CREATE INDEX device_authorizations_expiry ON device_authorizations (expires_at);

-- A partner must be allowed the device grant explicitly.
ALTER TABLE partners ADD COLUMN device_grant BOOLEAN DEFAULT FALSE NOT NULL;
