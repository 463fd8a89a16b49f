-- The durable outbox: mail and pushes are jobs written in the transaction of the change that causes them, and sent by
-- a worker on each node. A claim moves run_at to the end of the claimer's lease, so a job whose worker died mid-send
-- is simply due again once the lease runs out; attempts counts claims and fences a late worker's answer.
CREATE TABLE jobs (
  id          object_id PRIMARY KEY,
  kind        text NOT NULL,
  payload     jsonb NOT NULL,
  run_at      timestamptz NOT NULL,
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- The claim: the oldest due jobs first.
CREATE INDEX jobs_run_at_idx ON jobs (run_at);
