-- OpenID Connect: client types, logout URIs, service permissions, and the authorization request parameters that
-- travel from /openid through the login pages into the code.
ALTER TABLE partners ADD COLUMN public_client BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE partners ADD COLUMN post_logout_redirect_uris VARCHAR(8000) DEFAULT '' NOT NULL;
ALTER TABLE partners ADD COLUMN backchannel_logout_uri VARCHAR(2000);
ALTER TABLE partners ADD COLUMN permissions VARCHAR(500) DEFAULT '' NOT NULL;
ALTER TABLE partners ADD COLUMN id_token_alg VARCHAR(10) DEFAULT 'RS256' NOT NULL;

ALTER TABLE login_tracks ADD COLUMN kind VARCHAR(8) DEFAULT 'partner' NOT NULL; -- partner | oidc
ALTER TABLE login_tracks ADD COLUMN nonce VARCHAR(512);
ALTER TABLE login_tracks ADD COLUMN code_challenge VARCHAR(128);
ALTER TABLE login_tracks ADD COLUMN prompt VARCHAR(32);
ALTER TABLE login_tracks ADD COLUMN max_age INTEGER;
ALTER TABLE login_tracks ADD COLUMN login_hint VARCHAR(64);

ALTER TABLE auth_codes ADD COLUMN nonce VARCHAR(512);
ALTER TABLE auth_codes ADD COLUMN code_challenge VARCHAR(128);

-- Service tokens (client_credentials) have no user and no refresh token.
ALTER TABLE token_pairs ALTER COLUMN refresh_hash DROP NOT NULL;
ALTER TABLE token_pairs ADD COLUMN permissions VARCHAR(500) DEFAULT '' NOT NULL;
ALTER TABLE token_pairs ADD COLUMN nonce VARCHAR(512);
