-- Signing keys for id_tokens and callback signatures. The private JWK is encrypted (AES-256-GCM) with the master key.
CREATE TABLE signing_keys (
    kid             VARCHAR(64)   PRIMARY KEY,
    alg             VARCHAR(10)   NOT NULL,
    public_jwk      VARCHAR(4000) NOT NULL,
    private_jwk_enc VARCHAR(8000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    active_from     TIMESTAMP WITH TIME ZONE NOT NULL,
    retired_at      TIMESTAMP WITH TIME ZONE
);
