-- A partner whose authorization requests must be pushed first (RFC 9126 §6: require_pushed_authorization_requests).
ALTER TABLE partners ADD COLUMN require_par BOOLEAN DEFAULT FALSE NOT NULL;
