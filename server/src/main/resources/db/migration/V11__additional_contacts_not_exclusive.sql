-- The phone and the email are identifiers: each belongs to one user (users_phone_unique, users_email_unique).
-- Additional phones and emails are unverified data about a user: the same value may appear on several users, and a
-- value someone lists as an additional number never blocks its owner from signing up with it. They stay unique
-- within one user.
ALTER TABLE user_phones DROP CONSTRAINT user_phones_phone_unique;
ALTER TABLE user_phones ADD CONSTRAINT user_phones_user_phone_unique UNIQUE (user_id, phone);
ALTER TABLE user_emails DROP CONSTRAINT user_emails_email_unique;
ALTER TABLE user_emails ADD CONSTRAINT user_emails_user_email_unique UNIQUE (user_id, email);
CREATE INDEX user_phones_phone ON user_phones (phone);
CREATE INDEX user_emails_email ON user_emails (email);
