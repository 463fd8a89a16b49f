-- Web Push subscriptions: one per browser (its endpoint), belonging to the user who registered it last.
CREATE TABLE push_subscriptions (
  endpoint    text PRIMARY KEY,
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  p256dh      text NOT NULL,
  auth        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- A message's recipients' subscriptions, looked up after every send.
CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id);
