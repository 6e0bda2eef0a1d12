-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 13+.
-- User management (contract 3.8, 3.9): additional phones and emails, and cards.
--
-- A phone or email belongs to one user only, whether it is their primary or an additional one. user_phones and
-- user_emails hold EVERY phone and email of every user: slot 0 is a copy of users.phone / users.email, slots 1.. are the
-- additional ones in the order given. One unique constraint per table then enforces the rule in the database, also
-- under concurrent requests. JdbiUserStore keeps slot 0 in step with the users row inside the same transaction.

CREATE TABLE user_phones (
    user_id UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slot    INTEGER     NOT NULL, -- 0 = primary (users.phone), 1.. = additional
    phone   VARCHAR(16) NOT NULL,
    PRIMARY KEY (user_id, slot),
    CONSTRAINT user_phones_phone_unique UNIQUE (phone)
);

CREATE TABLE user_emails (
    user_id UUID         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slot    INTEGER      NOT NULL, -- 0 = primary (users.email), 1.. = additional
    email   VARCHAR(320) NOT NULL, -- stored lower-case
    PRIMARY KEY (user_id, slot),
    CONSTRAINT user_emails_email_unique UNIQUE (email)
);

INSERT INTO user_phones (user_id, slot, phone) SELECT id, 0, phone FROM users;
INSERT INTO user_emails (user_id, slot, email) SELECT id, 0, email FROM users WHERE email IS NOT NULL;

-- Cards (released by read.cards). Only the masked number is ever stored: the check refuses any value whose 7th and
-- 8th characters are not masked, so even a bug above cannot put a full card number here.
CREATE TABLE user_cards (
    id         UUID        PRIMARY KEY,
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    masked_pan VARCHAR(19) NOT NULL, -- 6 digits, 2 to 9 '*', 4 digits: 440043******1234
    brand      VARCHAR(16) NOT NULL,
    expiry     VARCHAR(5)  NOT NULL, -- MM/YY
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT user_cards_pan_masked CHECK (SUBSTRING(masked_pan FROM 7 FOR 2) = '**')
);
CREATE INDEX user_cards_user ON user_cards (user_id, created_at);
