-- Account deletion: the users row stays as a tombstone (so direct and group messages keep their sender and recipient,
-- and the partner still reads the conversation), stripped of everything personal and marked deleted_at.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;

-- When the login a refresh token belongs to happened (its password check), carried by every access token the login
-- issues (`login_ms`): deleting an account needs a login of the last minutes, which a refresh does not renew.
ALTER TABLE refresh_tokens ADD COLUMN logged_in_at timestamptz;

-- A deleted account's username cannot be taken again until `until` (USERNAME_QUARANTINE), so nobody can pose as the
-- person who left. The tombstone itself carries a username no account can have (see tombstone.ts).
CREATE TABLE username_quarantine (
  username  text PRIMARY KEY,
  until     timestamptz NOT NULL
);

-- Enforced by the database, so registration and a username change (and a race between a deletion and either) are
-- refused alike: as the unique violation of users_username_key that both paths already answer as "taken".
CREATE FUNCTION refuse_quarantined_username() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM username_quarantine q WHERE q.username = NEW.username AND q.until > now()) THEN
    RAISE EXCEPTION 'username % is quarantined', NEW.username
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'users_username_key';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER users_username_quarantine BEFORE INSERT OR UPDATE OF username ON users
  FOR EACH ROW EXECUTE FUNCTION refuse_quarantined_username();

-- The batch send of direct messages, as in 0007, except that a deleted account (a tombstone) receives nothing: a
-- message to it is refused like one to an account that does not exist, without failing the rest of the batch.
CREATE OR REPLACE FUNCTION send_messages(
  p_tail text[], p_seconds text, p_sender text[], p_recipient text[], p_reply_to text[], p_text text[],
  p_image text[], p_client text[], p_payload jsonb[], p_sent_at timestamptz
) RETURNS TABLE (
  n bigint, stored boolean, id text, sender_id text, recipient_id text, reply_to text, text text, image_id text,
  client_id text, sent_at timestamptz, edited_at timestamptz, delivered_at timestamptz, seen_at timestamptz,
  recipient_seq bigint, sender_seq bigint
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_n bigint[];
  v_id text[];
  v_reply text[];
  v_sender text[];
  v_recipient text[];
  v_data jsonb[];
  v_seq bigint[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(k)) FROM (
    SELECT DISTINCT 'conversation:' || LEAST(s, r) || ':' || GREATEST(s, r) AS k
    FROM unnest(p_sender, p_recipient) AS t(s, r) ORDER BY 1
  ) locks;

  WITH input AS (
    SELECT t.*, LEAST(t.s, t.r) AS a, GREATEST(t.s, t.r) AS b
    FROM unnest(p_tail, p_sender, p_recipient, p_reply_to, p_text, p_image, p_client, p_payload)
      WITH ORDINALITY AS t(tail, s, r, reply, body, image, client, payload, n)
  ),
  prefixes AS (
    SELECT g.a, g.b,
           CASE WHEN g.last_id IS NULL OR p_seconds || g.first_tail > g.last_id THEN p_seconds
                WHEN substr(g.last_id, 1, 8) || g.first_tail > g.last_id THEN substr(g.last_id, 1, 8)
                ELSE lpad(to_hex(('x' || substr(g.last_id, 1, 8))::bit(32)::bigint + 1), 8, '0')
           END AS prefix
    FROM (
      SELECT i.a, i.b, min(i.tail) AS first_tail,
             (SELECT max(m.id) FROM messages m
              WHERE LEAST(m.sender_id, m.recipient_id) = i.a AND GREATEST(m.sender_id, m.recipient_id) = i.b) AS last_id
      FROM input i GROUP BY i.a, i.b
    ) g
  ),
  numbered AS (
    SELECT i.*, p.prefix || i.tail AS new_id FROM input i JOIN prefixes p ON p.a = i.a AND p.b = i.b
  ),
  inserted AS (
    INSERT INTO messages (id, sender_id, recipient_id, reply_to, text, image_id, client_id, sent_at)
    SELECT x.new_id, x.s, x.r,
           (SELECT q.id FROM messages q WHERE q.id = x.reply
              AND LEAST(q.sender_id, q.recipient_id) = x.a AND GREATEST(q.sender_id, q.recipient_id) = x.b),
           x.body, x.image, x.client, p_sent_at
    FROM numbered x
    WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = x.r AND u.deleted_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM blocks bl
                      WHERE (bl.blocker_id = x.s AND bl.blocked_id = x.r) OR (bl.blocker_id = x.r AND bl.blocked_id = x.s))
    ORDER BY x.n
    ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
    RETURNING messages.id, messages.sender_id, messages.recipient_id, messages.reply_to
  ),
  sides AS (
    SELECT sender_id AS user_id, recipient_id AS other_id, id FROM inserted
    UNION ALL
    SELECT recipient_id, sender_id, id FROM inserted
  ),
  conversations_moved AS (
    INSERT INTO conversations (user_id, other_id, last_message_id)
    SELECT user_id, other_id, max(id) FROM sides GROUP BY user_id, other_id
    ON CONFLICT (user_id, other_id) DO UPDATE
      SET last_message_id = GREATEST(conversations.last_message_id, EXCLUDED.last_message_id)
  )
  SELECT array_agg(x.n ORDER BY x.n), array_agg(ins.id ORDER BY x.n), array_agg(ins.reply_to ORDER BY x.n),
         array_agg(ins.sender_id ORDER BY x.n), array_agg(ins.recipient_id ORDER BY x.n),
         array_agg(x.payload || jsonb_build_object('id', ins.id, 'reply_to', ins.reply_to) ORDER BY x.n)
    INTO v_n, v_id, v_reply, v_sender, v_recipient, v_data
  FROM inserted ins JOIN numbered x ON x.new_id = ins.id;

  IF v_n IS NOT NULL THEN
    -- Two log items per stored message, in message order: the recipient's, then the sender's.
    SELECT array_agg(a.seq ORDER BY a.n) INTO v_seq
    FROM append_updates(
      (SELECT array_agg(CASE WHEN side = 0 THEN v_recipient[k] ELSE v_sender[k] END ORDER BY k, side)
         FROM generate_subscripts(v_n, 1) k CROSS JOIN (VALUES (0), (1)) AS s(side)),
      (SELECT array_agg(CASE WHEN side = 0 THEN 'singleUnreadMsgFromServer' ELSE 'singleSentMsgFromServer' END ORDER BY k, side)
         FROM generate_subscripts(v_n, 1) k CROSS JOIN (VALUES (0), (1)) AS s(side)),
      (SELECT array_agg(v_data[k] ORDER BY k, side)
         FROM generate_subscripts(v_n, 1) k CROSS JOIN (VALUES (0), (1)) AS s(side)),
      p_sent_at
    ) a;
  END IF;

  RETURN QUERY
  SELECT t.n, true, t.id::text, p_sender[t.n], p_recipient[t.n], t.reply::text, p_text[t.n], p_image[t.n], p_client[t.n],
         p_sent_at, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, v_seq[2 * t.k - 1], v_seq[2 * t.k]
  FROM unnest(v_n, v_id, v_reply) WITH ORDINALITY AS t(n, id, reply, k)
  UNION ALL
  SELECT i.n, false, m.id::text, m.sender_id::text, m.recipient_id::text, m.reply_to::text, m.text, m.image_id::text, m.client_id, m.sent_at,
         m.edited_at, m.delivered_at, m.seen_at, NULL::bigint, NULL::bigint
  FROM unnest(p_sender, p_client) WITH ORDINALITY AS i(s, c, n)
  JOIN messages m ON m.sender_id = i.s AND m.client_id = i.c
  WHERE i.c IS NOT NULL AND NOT (i.n = ANY (COALESCE(v_n, '{}')));
END
$$;
