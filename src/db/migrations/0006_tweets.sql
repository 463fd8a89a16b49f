-- Counters maintained in the transaction of each like and comment, so a page carries them without counting.
ALTER TABLE tweets ADD COLUMN likes_count integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0);
ALTER TABLE tweets ADD COLUMN comments_count integer NOT NULL DEFAULT 0 CHECK (comments_count >= 0);
