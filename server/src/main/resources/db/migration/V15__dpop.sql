-- DPoP (RFC 9449): the JWK SHA-256 thumbprint a token pair is bound to (cnf.jkt); the one an authorization code is
-- bound to by dpop_jkt (§10), kept on the login track until the code is issued; and the jti of every accepted proof
-- while its iat is inside the window, so that no node accepts a proof twice (§11.1).
ALTER TABLE token_pairs ADD COLUMN dpop_jkt VARCHAR(64);
ALTER TABLE auth_codes ADD COLUMN dpop_jkt VARCHAR(64);
ALTER TABLE login_tracks ADD COLUMN dpop_jkt VARCHAR(64);

CREATE TABLE dpop_proof_jtis (
    jti_hash   VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX dpop_proof_jtis_expiry ON dpop_proof_jtis (expires_at);
