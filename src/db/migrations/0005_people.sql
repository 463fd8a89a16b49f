-- Prefix search on username, name and family (case-insensitive; usernames are stored lower-cased).
CREATE INDEX users_username_prefix_idx ON users (username text_pattern_ops);
CREATE INDEX users_name_prefix_idx ON users (lower(name) text_pattern_ops);
CREATE INDEX users_family_prefix_idx ON users (lower(family) text_pattern_ops);

-- Lists newest first: whom I follow, whom I blocked.
CREATE INDEX follows_follower_recent_idx ON follows (follower_id, created_at DESC);
CREATE INDEX blocks_blocker_recent_idx ON blocks (blocker_id, created_at DESC);
