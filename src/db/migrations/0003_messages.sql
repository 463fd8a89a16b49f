-- One row per user and conversation partner: the chat list reads it instead of scanning every message.
CREATE TABLE conversations (
  user_id          object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  other_id         object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  last_message_id  object_id,
  PRIMARY KEY (user_id, other_id)
);
CREATE INDEX conversations_recent_idx ON conversations (user_id, last_message_id DESC);

-- Messages a participant deleted for themselves only.
CREATE TABLE message_hidden (
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  message_id  object_id NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  hidden_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, message_id)
);
CREATE INDEX message_hidden_message_idx ON message_hidden (message_id);

-- Read receipts and unread counts look up a sender's unseen messages to one recipient.
CREATE INDEX messages_unread_from_idx ON messages (recipient_id, sender_id, id) WHERE seen_at IS NULL;
