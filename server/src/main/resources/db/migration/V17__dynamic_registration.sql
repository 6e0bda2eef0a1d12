-- Dynamic client registration (RFC 7591) and its management protocol (RFC 7592). Portable SQL (H2 2.x, PostgreSQL 13+).

-- Initial access tokens an operator issues (registration-token create): only the SHA-256 of each is kept. A token works
-- until it expires, is revoked, or has been used max_uses times (NULL: no limit).
CREATE TABLE registration_tokens (
    id          UUID PRIMARY KEY,
    token_hash  VARCHAR(64)  NOT NULL,
    note        VARCHAR(200),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    max_uses    INTEGER,
    uses        INTEGER      NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT registration_tokens_hash_unique UNIQUE (token_hash)
);

-- A client registered through the endpoint: the SHA-256 of its registration access token (RFC 7592 §1), the token
-- that registered it, and the metadata that has no column in partners (grant_types, contacts, logo_uri, ...) as JSON.
CREATE TABLE client_registrations (
    client_id          UUID PRIMARY KEY REFERENCES partners (client_id),
    access_token_hash  VARCHAR(64)    NOT NULL,
    initial_token_id   UUID           NOT NULL,
    metadata           VARCHAR(16000) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT client_registrations_token_unique UNIQUE (access_token_hash)
);

-- private_key_jwt keys published by the client at a URL (RFC 7591 §2 jwks_uri), instead of a registered jwks.
ALTER TABLE partners ADD COLUMN jwks_uri VARCHAR(2000);
