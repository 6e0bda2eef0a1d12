-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 13+.
-- Secrets (client secrets, tokens, codes, session handles, OTPs) are stored only as SHA-256 hex digests.

CREATE TABLE partners (
    client_id           UUID PRIMARY KEY,
    name                VARCHAR(200)  NOT NULL,
    secret_hash         VARCHAR(64)   NOT NULL,
    redirect_uris       VARCHAR(8000) NOT NULL, -- newline-separated, exact-match list
    grants              VARCHAR(1000) NOT NULL, -- space-separated grants the partner may ask for
    revoke_uri          VARCHAR(2000),
    access_ttl_seconds  INTEGER,
    refresh_ttl_seconds INTEGER,
    status              VARCHAR(16)   NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE users (
    id             UUID PRIMARY KEY,
    phone          VARCHAR(16)  NOT NULL,
    email          VARCHAR(320),
    firstname      VARCHAR(100),
    lastname       VARCHAR(100),
    patronymic     VARCHAR(100),
    date_of_birth  DATE,
    gender         VARCHAR(1),
    country        VARCHAR(3),
    nationality    VARCHAR(100),
    identifier     VARCHAR(64),
    password_hash  VARCHAR(255),
    phone_verified BOOLEAN      NOT NULL,
    email_verified BOOLEAN      NOT NULL,
    created_by     UUID,
    status         VARCHAR(16)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT users_phone_unique UNIQUE (phone),
    CONSTRAINT users_email_unique UNIQUE (email)
);

-- A login link (3.1): single use, finished once it produced a code or an error.
CREATE TABLE login_tracks (
    id           UUID PRIMARY KEY,
    client_id    UUID          NOT NULL REFERENCES partners (client_id),
    redirect_uri VARCHAR(2000) NOT NULL,
    grants       VARCHAR(1000) NOT NULL,
    state        VARCHAR(512),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE
);

-- A browser session on the hosted pages; anonymous until the user signs in.
CREATE TABLE web_sessions (
    id             UUID PRIMARY KEY,  -- public id (the OIDC sid)
    handle_hash    VARCHAR(64) NOT NULL, -- hash of the cookie value
    user_id        UUID REFERENCES users (id),
    auth_time      TIMESTAMP WITH TIME ZONE,
    amr            VARCHAR(32),
    pending_phone  VARCHAR(16),      -- verified by OTP, waiting for the sign-up form
    user_agent     VARCHAR(512),
    ip             VARCHAR(64),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT web_sessions_handle_unique UNIQUE (handle_hash)
);

CREATE TABLE otp_challenges (
    id          UUID PRIMARY KEY,
    session_id  UUID        NOT NULL REFERENCES web_sessions (id),
    phone       VARCHAR(16) NOT NULL,
    code_hash   VARCHAR(64) NOT NULL,
    attempts    INTEGER     NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    verified_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX otp_challenges_phone ON otp_challenges (phone, created_at);

-- Failed password attempts per phone, for growing lock-out delays.
CREATE TABLE password_failures (
    phone        VARCHAR(16) PRIMARY KEY,
    failures     INTEGER     NOT NULL,
    locked_until TIMESTAMP WITH TIME ZONE,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE consents (
    user_id      UUID          NOT NULL REFERENCES users (id),
    client_id    UUID          NOT NULL REFERENCES partners (client_id),
    grants       VARCHAR(1000) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE auth_codes (
    code_hash    VARCHAR(64)   PRIMARY KEY,
    client_id    UUID          NOT NULL REFERENCES partners (client_id),
    user_id      UUID          NOT NULL REFERENCES users (id),
    session_id   UUID,
    grants       VARCHAR(1000) NOT NULL,
    redirect_uri VARCHAR(2000) NOT NULL,
    auth_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    amr          VARCHAR(32),
    grant_id     UUID          NOT NULL, -- every token pair minted from this code shares it
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at      TIMESTAMP WITH TIME ZONE
);

CREATE TABLE token_pairs (
    id                 UUID PRIMARY KEY, -- UUIDv7
    grant_id           UUID          NOT NULL,
    client_id          UUID          NOT NULL REFERENCES partners (client_id),
    user_id            UUID REFERENCES users (id),
    session_id         UUID,
    grants             VARCHAR(1000) NOT NULL,
    access_hash        VARCHAR(64)   NOT NULL,
    refresh_hash       VARCHAR(64)   NOT NULL,
    access_expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    refresh_expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoke_uri         VARCHAR(2000),
    auth_time          TIMESTAMP WITH TIME ZONE,
    amr                VARCHAR(32),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at         TIMESTAMP WITH TIME ZONE,
    revoked_at         TIMESTAMP WITH TIME ZONE,
    revoke_reason      VARCHAR(32),
    CONSTRAINT token_pairs_access_unique UNIQUE (access_hash),
    CONSTRAINT token_pairs_refresh_unique UNIQUE (refresh_hash)
);
CREATE INDEX token_pairs_grant ON token_pairs (grant_id);
CREATE INDEX token_pairs_user ON token_pairs (user_id);
CREATE INDEX token_pairs_session ON token_pairs (session_id);
