-- The session sweep finds signed-in sessions past their expiry, oldest first.
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
CREATE INDEX otp_challenges_expiry ON otp_challenges (expires_at);
