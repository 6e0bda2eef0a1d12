-- Pushed authorization requests (RFC 9126): the parameters a client pushed, kept by the SHA-256 of the random part of
-- the request_uri, used once, for 60 seconds. In the database so that any node can serve /openid.
CREATE TABLE pushed_requests (
    uri_hash   VARCHAR(64)    PRIMARY KEY,
    client_id  UUID           NOT NULL,
    params     VARCHAR(16000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX pushed_requests_expiry ON pushed_requests (expires_at);
