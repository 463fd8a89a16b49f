-- The send path in one round trip. On this kind of machine a statement's round trip (the write to the database's
-- socket above all) costs more than the statement itself, so a batch of sends, which was seven statements (BEGIN,
-- lock, last ids, insert, log, COMMIT, and the client-id lookup), is one call, committed on its own (no BEGIN/COMMIT).
-- PL/pgSQL keeps each statement's plan for the connection, and takes a new snapshot per statement: the last ids are
-- read after the conversation locks are held. Plans stay custom (PostgreSQL's choice for these statements): a generic
-- plan halves a one-message call's cost (530 against 1,080 µs of backend CPU, measured) but, estimating ten rows per
-- array, joins batches in nested loops, and dm-open at 2,500 msg/s then fell seconds behind (2,900 µs per message).

-- Appends updates to their users' logs and returns each one's seq by input position. Each user's counter row is bumped
-- by the number of their items; its row lock serialises concurrent writers of one user until they commit, so numbers
-- never repeat and never leave gaps. Counters are locked in user order: no deadlock between two batches. The stored
-- payload carries its seq.
CREATE FUNCTION append_updates(p_user text[], p_event text[], p_data jsonb[], p_created_at timestamptz)
RETURNS TABLE (n bigint, seq bigint) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH items AS (
    SELECT t.user_id, t.event, t.data, t.n,
           row_number() OVER (PARTITION BY t.user_id ORDER BY t.n) AS k,
           count(*) OVER (PARTITION BY t.user_id) AS c
    FROM unnest(p_user, p_event, p_data) WITH ORDINALITY AS t(user_id, event, data, n)
  ),
  reserved AS (
    INSERT INTO update_seq (user_id, last_seq)
    SELECT user_id, count(*) FROM items GROUP BY user_id ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET last_seq = update_seq.last_seq + EXCLUDED.last_seq
    RETURNING user_id, last_seq
  ),
  numbered AS (
    SELECT i.n, i.user_id, i.event, i.data, r.last_seq - i.c + i.k AS seq
    FROM items i JOIN reserved r ON r.user_id = i.user_id
  ),
  inserted AS (
    INSERT INTO updates (user_id, seq, event, data, created_at)
    SELECT user_id, seq, event, data || jsonb_build_object('seq', seq), p_created_at FROM numbered
  )
  SELECT numbered.n, numbered.seq FROM numbered ORDER BY numbered.n;
END
$$;

-- Stores a batch of direct messages and logs them for both people (the recipient's singleUnreadMsgFromServer, the
-- sender's singleSentMsgFromServer), all or nothing. Per message the caller gives the id's tail (process bytes and
-- counter, increasing within the batch) and the presented payload without id and reply_to; the id's seconds are
-- p_seconds unless the conversation already holds a greater id (another node's clock), then that id's second or the
-- next, so ids increase in commit order in every conversation.
-- Not stored, and so answered as such: a message to a user who does not exist or across a block (stored = false,
-- no row), and a retry of a stored (sender, client_id) (stored = false, the original row). A reply_to outside the
-- conversation is stored as null.
CREATE FUNCTION send_messages(
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
    WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = x.r)
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
