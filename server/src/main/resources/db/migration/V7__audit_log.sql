-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 13+.
-- The audit trail: who did what to which subject, when, and from where. Never secrets, OTPs, passwords, tokens or card
-- numbers: details is a small JSON object of identifiers and outcomes. Rows older than the retention are deleted by a
-- recurring job.

CREATE TABLE audit_events (
    id          UUID PRIMARY KEY,                  -- UUIDv7
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_kind  VARCHAR(16)   NOT NULL,            -- user | partner | admin | system
    actor_id    VARCHAR(64),                       -- user id or client_id; none for admin and system
    action      VARCHAR(64)   NOT NULL,            -- e.g. signin.success, token.issued, admin.partner.created
    subject     VARCHAR(64),                       -- user id, client_id or key id the action concerns
    client_ip   VARCHAR(64),                       -- 'cli' for the admin command line
    details     VARCHAR(4000) NOT NULL             -- JSON object
);

-- Newest first, paged by (occurred_at, id); the retention job deletes by occurred_at.
CREATE INDEX audit_events_time ON audit_events (occurred_at, id);
CREATE INDEX audit_events_actor ON audit_events (actor_kind, actor_id, occurred_at);
CREATE INDEX audit_events_subject ON audit_events (subject, occurred_at);
