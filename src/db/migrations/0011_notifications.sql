-- Notifications (issue 20). An entry is one line of a user's notifications screen; likes of one tweet and follows
-- collapse into one entry while it is unread (its group_key), each actor a row of notification_actors, so undoing a
-- cause (unlike, unfollow) removes exactly that actor. Entries about a comment or tweet go with it (foreign keys).
CREATE TABLE notifications (
  id            object_id PRIMARY KEY,
  -- Ordering and paging: renewed whenever an actor joins the entry, which moves it to the top.
  sort_id       object_id NOT NULL,
  recipient_id  object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('follow', 'follow_request', 'follow_accepted', 'like', 'comment', 'reply', 'mention')),
  tweet_id      object_id REFERENCES tweets (id) ON DELETE CASCADE,
  comment_id    object_id REFERENCES tweet_comments (id) ON DELETE CASCADE,
  -- Set for kinds that group ('like:<tweet>', 'follow'); null: one entry per cause.
  group_key     text,
  actors_count  integer NOT NULL DEFAULT 0 CHECK (actors_count >= 0),
  read          boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX notifications_page_idx ON notifications (recipient_id, sort_id DESC);
CREATE INDEX notifications_unread_idx ON notifications (recipient_id, sort_id) WHERE NOT read;
-- At most one unread entry per group: concurrent likes of one tweet meet here (INSERT … ON CONFLICT).
CREATE UNIQUE INDEX notifications_group_key ON notifications (recipient_id, group_key) WHERE NOT read AND group_key IS NOT NULL;

CREATE TABLE notification_actors (
  notification_id  object_id NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  actor_id         object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The entry's sort_id when this actor joined: the latest actors are listed first.
  sort_id          object_id NOT NULL,
  at               timestamptz NOT NULL,
  PRIMARY KEY (notification_id, actor_id)
);
CREATE INDEX notification_actors_actor_idx ON notification_actors (actor_id);

-- Absent: every default (see NotificationSettingsShape). Read through a schema, so new keys need no migration.
CREATE TABLE notification_settings (
  user_id   object_id PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  settings  jsonb NOT NULL DEFAULT '{}'
);

-- Mentions resolved when posted: [{ user_id, username, start, end }], offsets in UTF-16 code units of the text.
ALTER TABLE tweets ADD COLUMN mentions jsonb NOT NULL DEFAULT '[]';
ALTER TABLE tweet_comments ADD COLUMN mentions jsonb NOT NULL DEFAULT '[]';
