-- Image bytes kept in the database (MEDIA_STORE=postgres), so cluster nodes need no shared volume: one row per blob,
-- keyed by its SHA-256 exactly as the file store names its files. Unused with MEDIA_STORE=filesystem.
CREATE TABLE blobs (
  key         text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
  bytes       bytea NOT NULL,
  size        integer NOT NULL CHECK (size = octet_length(bytes)),
  created_at  timestamptz NOT NULL DEFAULT now()
);
