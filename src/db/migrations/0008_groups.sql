-- Group chats (Telegram's basic groups): a title, an owner, members with roles, and their messages.
CREATE TABLE groups (
  id             object_id PRIMARY KEY,
  title          text NOT NULL,
  photo_id       object_id,
  owner_id       object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  members_count  integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE group_members (
  group_id    object_id NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  joined_at   timestamptz NOT NULL DEFAULT now(),
  -- The newest message this member has seen (markGroupSeen); unread counts start after it.
  seen_up_to  object_id,
  PRIMARY KEY (group_id, user_id)
);
-- A user's groups (rooms on connect, the chat list).
CREATE INDEX group_members_user_idx ON group_members (user_id, group_id);

CREATE TABLE group_messages (
  id          object_id PRIMARY KEY,
  group_id    object_id NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  sender_id   object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  reply_to    object_id REFERENCES group_messages (id) ON DELETE SET NULL,
  text        text,
  image_id    object_id,
  client_id   text,
  sent_at     timestamptz NOT NULL,
  edited_at   timestamptz,
  CHECK (text IS NOT NULL OR image_id IS NOT NULL)
);
-- History pages, newest first, and each group's last id (ids increase in commit order per group).
CREATE INDEX group_messages_group_idx ON group_messages (group_id, id DESC);
-- A retry with the same client_id from the same sender finds the stored message.
CREATE UNIQUE INDEX group_messages_client_id_key ON group_messages (sender_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX group_messages_image_idx ON group_messages (image_id) WHERE image_id IS NOT NULL;

-- When a member's read mark passed which messages: one row per markGroupSeen that moved it (who has seen a message).
CREATE TABLE group_seen (
  group_id  object_id NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id   object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  up_to     object_id NOT NULL,
  seen_at   timestamptz NOT NULL,
  PRIMARY KEY (group_id, user_id, up_to)
);

-- Group messages a member deleted for themselves only.
CREATE TABLE group_message_hidden (
  user_id     object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  message_id  object_id NOT NULL REFERENCES group_messages (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, message_id)
);
CREATE INDEX group_message_hidden_message_idx ON group_message_hidden (message_id);
