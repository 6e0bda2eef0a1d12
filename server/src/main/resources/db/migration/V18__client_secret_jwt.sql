-- client_secret_jwt (RFC 7523 §2.2 with an HMAC, OIDC Core §9), opt-in per partner. An HMAC needs the secret itself, so
-- for these partners alone the secret is also kept sealed (AES-256-GCM under the master key, as private signing keys
-- are). A row means the partner uses client_secret_jwt; sealed_secret is null until its next secret rotation when the
-- method was switched on after registration.
CREATE TABLE client_secret_jwt (
    client_id     UUID          PRIMARY KEY,
    sealed_secret VARCHAR(512),
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
