-- Telegraph's base schema. Ids are 24-character lowercase hex (MongoDB ObjectId format), made by the server.
-- Lists that the founding notes kept as embedded arrays (following, block) are relations here.

CREATE DOMAIN object_id AS text CHECK (VALUE ~ '^[0-9a-f]{24}$');

CREATE TABLE users (
  id                    object_id PRIMARY KEY,
  name                  text NOT NULL,
  family                text NOT NULL DEFAULT '',
  username              text NOT NULL CHECK (username = lower(username)),
  email                 text NOT NULL CHECK (email = lower(email)),
  phone                 text,
  password_hash         text NOT NULL,
  photo_id              object_id,
  biography             text NOT NULL DEFAULT '',
  is_private            boolean NOT NULL DEFAULT false,
  settings              jsonb NOT NULL DEFAULT '{}',
  last_seen             timestamptz,
  registered_at         timestamptz NOT NULL DEFAULT now(),
  email_confirmed_at    timestamptz,
  -- Access tokens issued before this instant are refused (password change, logout everywhere).
  sessions_valid_after  timestamptz NOT NULL DEFAULT 'epoch'
);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE follows (
  follower_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  followee_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (follower_id, followee_id),
  CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee_idx ON follows (followee_id, created_at DESC);

CREATE TABLE follow_requests (
  requester_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  target_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (requester_id, target_id),
  CHECK (requester_id <> target_id)
);
CREATE INDEX follow_requests_target_idx ON follow_requests (target_id, created_at DESC);

CREATE TABLE blocks (
  blocker_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  blocked_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id),
  CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked_idx ON blocks (blocked_id);

CREATE TABLE messages (
  id            object_id PRIMARY KEY,
  sender_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  recipient_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  reply_to      object_id REFERENCES messages (id) ON DELETE SET NULL,
  text          text,
  image_id      object_id,
  client_id     text,
  sent_at       timestamptz NOT NULL DEFAULT now(),
  edited_at     timestamptz,
  seen_at       timestamptz,
  CHECK (text IS NOT NULL OR image_id IS NOT NULL),
  CHECK (sender_id <> recipient_id)
);
-- A retry with the same client_id from the same sender finds the stored message instead of a duplicate.
CREATE UNIQUE INDEX messages_client_id_key ON messages (sender_id, client_id) WHERE client_id IS NOT NULL;
-- A conversation is read through the unordered pair, newest first.
CREATE INDEX messages_conversation_idx ON messages (LEAST(sender_id, recipient_id), GREATEST(sender_id, recipient_id), id DESC);
CREATE INDEX messages_unread_idx ON messages (recipient_id, id) WHERE seen_at IS NULL;

CREATE TABLE tweets (
  id        object_id PRIMARY KEY,
  owner_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  text      text NOT NULL,
  image_id  object_id,
  sent_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tweets_owner_idx ON tweets (owner_id, id DESC);

CREATE TABLE tweet_likes (
  tweet_id    object_id NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tweet_id, user_id)
);
CREATE INDEX tweet_likes_user_idx ON tweet_likes (user_id, tweet_id);

CREATE TABLE tweet_comments (
  id        object_id PRIMARY KEY,
  tweet_id  object_id NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
  owner_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  reply_to  object_id REFERENCES tweet_comments (id) ON DELETE SET NULL,
  text      text NOT NULL,
  sent_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tweet_comments_tweet_idx ON tweet_comments (tweet_id, id);

CREATE TABLE stories (
  id          object_id PRIMARY KEY,
  owner_id    object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  image_id    object_id NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX stories_owner_active_idx ON stories (owner_id, expires_at);
CREATE INDEX stories_expiry_idx ON stories (expires_at);

CREATE TABLE story_views (
  story_id   object_id NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  viewer_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (story_id, viewer_id)
);
CREATE INDEX story_views_viewer_idx ON story_views (viewer_id, story_id);

-- One row per issued refresh token; a login is a family, rotated on every refresh.
CREATE TABLE refresh_tokens (
  id          object_id PRIMARY KEY,
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id   object_id NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Single-use tokens mailed for email confirmation and password reset; only their hash is kept.
CREATE TABLE email_tokens (
  token_hash  text PRIMARY KEY,
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose);
