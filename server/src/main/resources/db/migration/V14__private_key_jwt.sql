-- private_key_jwt (RFC 7523 §2.2, OIDC Core §9): the client's public JWK set, and the jti of every assertion accepted
-- until it expires, so that no node accepts one twice.
ALTER TABLE partners ADD COLUMN jwks VARCHAR(16000);

CREATE TABLE client_assertion_jtis (
    client_id  UUID         NOT NULL,
    jti        VARCHAR(256) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jtis_expiry ON client_assertion_jtis (expires_at);
