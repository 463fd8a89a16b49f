-- Per-user update log: every push that changes what a user sees, numbered 1, 2, 3 … per user without gaps.
CREATE TABLE update_seq (
  user_id   object_id PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  last_seq  bigint NOT NULL DEFAULT 0
);

-- Updates up to delivered_seq were confirmed received by one of the user's devices (delivery receipts).
-- A table of its own: confirming must not lock the seq row that writers to this user take.
CREATE TABLE delivery_marks (
  user_id        object_id PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  delivered_seq  bigint NOT NULL DEFAULT 0
);

CREATE TABLE updates (
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq         bigint NOT NULL,
  event       text NOT NULL,
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, seq)
);
CREATE INDEX updates_created_idx ON updates (created_at);

-- sent → delivered → seen.
ALTER TABLE messages ADD COLUMN delivered_at timestamptz;
