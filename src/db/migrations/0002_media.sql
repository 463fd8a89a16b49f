-- Every stored image: the bytes live once in the blob store under their SHA-256; rows may share a blob.
CREATE TABLE media (
  id          object_id PRIMARY KEY,
  owner_id    object_id NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sha256      char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  type        text NOT NULL CHECK (type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
  size        integer NOT NULL CHECK (size > 0),
  width       integer NOT NULL CHECK (width > 0),
  height      integer NOT NULL CHECK (height > 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_sha256_idx ON media (sha256);
CREATE INDEX media_owner_idx ON media (owner_id, created_at);
CREATE INDEX media_created_idx ON media (created_at);

-- What refers to an image keeps it alive: the sweep removes rows nothing points to, and the keys refuse to dangle.
ALTER TABLE users ADD CONSTRAINT users_photo_fk FOREIGN KEY (photo_id) REFERENCES media (id) ON DELETE SET NULL;
ALTER TABLE messages ADD CONSTRAINT messages_image_fk FOREIGN KEY (image_id) REFERENCES media (id);
ALTER TABLE tweets ADD CONSTRAINT tweets_image_fk FOREIGN KEY (image_id) REFERENCES media (id);
ALTER TABLE stories ADD CONSTRAINT stories_image_fk FOREIGN KEY (image_id) REFERENCES media (id);
CREATE INDEX users_photo_idx ON users (photo_id) WHERE photo_id IS NOT NULL;
CREATE INDEX messages_image_idx ON messages (image_id) WHERE image_id IS NOT NULL;
CREATE INDEX tweets_image_idx ON tweets (image_id) WHERE image_id IS NOT NULL;
CREATE INDEX stories_image_idx ON stories (image_id);
