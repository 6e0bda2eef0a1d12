-- The account page signs users in through the same login pages, with a login link that belongs to no partner.
ALTER TABLE login_tracks ALTER COLUMN client_id DROP NOT NULL;
