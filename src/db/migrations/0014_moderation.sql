-- Moderation: roles and suspension on the account, reports with a snapshot of what they are about, and the log of
-- every moderator action.
ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin'));
-- Set while the account is suspended: no login, no refresh, no sockets, its posts hidden from everyone else.
ALTER TABLE users ADD COLUMN suspended_at timestamptz;
ALTER TABLE users ADD COLUMN suspension_reason text;
-- The few suspended accounts: every feed, list and single read filters on it, an anti-join on this small index.
CREATE INDEX users_suspended_idx ON users (id) WHERE suspended_at IS NOT NULL;
-- Moderators and admins (the moderators room is joined by them; "the last admin" is counted here).
CREATE INDEX users_staff_idx ON users (role) WHERE role <> 'user';

CREATE TABLE reports (
  id            object_id PRIMARY KEY,
  -- Reporter and author stay null once their account is gone; the snapshot keeps the evidence.
  reporter_id   object_id REFERENCES users (id) ON DELETE SET NULL,
  target_kind   text NOT NULL CHECK (target_kind IN ('user', 'message', 'tweet', 'comment', 'story')),
  target_id     object_id NOT NULL,
  author_id     object_id REFERENCES users (id) ON DELETE SET NULL,
  reason        text NOT NULL CHECK (reason IN ('spam', 'abuse', 'illegal', 'other')),
  text          text,
  -- A copy of the reported content when it was reported (text, image ids and urls, author), so deleting it does not
  -- erase the evidence.
  snapshot      jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz,
  resolved_by   object_id REFERENCES users (id) ON DELETE SET NULL,
  action        text CHECK (action IN ('dismiss', 'delete_content', 'suspend_user')),
  note          text,
  CHECK ((status = 'open') = (resolved_at IS NULL))
);
-- getReports: one status, newest first, keyset on id.
CREATE INDEX reports_status_idx ON reports (status, id DESC);
-- One open report per reporter and target: a repeated report answers the open one.
CREATE UNIQUE INDEX reports_open_key ON reports (reporter_id, target_kind, target_id) WHERE status = 'open';

CREATE TABLE moderation_log (
  id              object_id PRIMARY KEY,
  -- Null: the command line (`npm run admin`), which acts as nobody.
  actor_id        object_id REFERENCES users (id) ON DELETE SET NULL,
  actor           text NOT NULL CHECK (actor IN ('user', 'cli')),
  action          text NOT NULL CHECK (action IN ('set_role', 'suspend', 'unsuspend', 'resolve_report')),
  target_user_id  object_id REFERENCES users (id) ON DELETE SET NULL,
  report_id       object_id REFERENCES reports (id) ON DELETE SET NULL,
  details         jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- The images a report's snapshot shows: the media sweep keeps them while the report exists, so deleting the content
-- does not delete the evidence.
CREATE TABLE report_media (
  report_id  object_id NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  media_id   object_id NOT NULL,
  PRIMARY KEY (report_id, media_id)
);
CREATE INDEX report_media_media_idx ON report_media (media_id);
