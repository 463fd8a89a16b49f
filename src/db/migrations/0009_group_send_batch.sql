-- Group messages are group-committed like direct ones: a batch of sends is one call, committed on its own (see
-- 0007_send_batch.sql for why one call rather than a transaction of statements).

-- The seconds of a new id whose tail is `first_tail`, so that it sorts after `last_id`: `p_seconds` when that already
-- does, else `last_id`'s second when this process's tail sorts above it there, else the next second (as ids.idAfter).
CREATE FUNCTION next_id_prefix(p_seconds text, first_tail text, last_id text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN last_id IS NULL OR p_seconds || first_tail > last_id THEN p_seconds
              WHEN substr(last_id, 1, 8) || first_tail > last_id THEN substr(last_id, 1, 8)
              ELSE lpad(to_hex(('x' || substr(last_id, 1, 8))::bit(32)::bigint + 1), 8, '0')
         END
$$;

-- Stores a batch of group messages and logs each for every member of its group (singleGroupMsgFromServer), all or
-- nothing. The groups' locks (the key lockGroup takes) are held first, in key order: a member removed before the
-- batch took the lock cannot send, the members logged are those of the moment, and ids increase in commit order in
-- every group. Per message the caller gives the id's tail (increasing within the batch) and the presented payload
-- without id and reply_to.
-- Answered per input position: stored (the row, and the members logged with their seqs, in the same order), a retry
-- of a stored (sender, client_id), a duplicate within the batch included (not stored, the original row), or nothing
-- at all for a sender who is not a member of the group (or a group that does not exist). A reply_to outside the group
-- is stored as null.
CREATE FUNCTION send_group_messages(
  p_tail text[], p_seconds text, p_group text[], p_sender text[], p_reply_to text[], p_text text[],
  p_image text[], p_client text[], p_payload jsonb[], p_sent_at timestamptz
) RETURNS TABLE (
  n bigint, stored boolean, id text, group_id text, sender_id text, reply_to text, text text, image_id text,
  client_id text, sent_at timestamptz, edited_at timestamptz, members text[], seqs bigint[]
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_n bigint[];
  v_id text[];
  v_reply text[];
  v_group text[];
  v_data jsonb[];
  v_k bigint[];
  v_user text[];
  v_item jsonb[];
  v_seq bigint[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(k)) FROM (
    SELECT DISTINCT 'group:' || g AS k FROM unnest(p_group) AS t(g) ORDER BY 1
  ) locks;

  WITH input AS (
    SELECT t.* FROM unnest(p_tail, p_group, p_sender, p_reply_to, p_text, p_image, p_client, p_payload)
      WITH ORDINALITY AS t(tail, g, s, reply, body, image, client, payload, n)
  ),
  prefixes AS (
    SELECT x.g, next_id_prefix(p_seconds, x.first_tail, (SELECT max(m.id) FROM group_messages m WHERE m.group_id = x.g)) AS prefix
    FROM (SELECT i.g, min(i.tail) AS first_tail FROM input i GROUP BY i.g) x
  ),
  numbered AS (
    SELECT i.*, p.prefix || i.tail AS new_id FROM input i JOIN prefixes p ON p.g = i.g
  ),
  inserted AS (
    INSERT INTO group_messages (id, group_id, sender_id, reply_to, text, image_id, client_id, sent_at)
    SELECT x.new_id, x.g, x.s, (SELECT r.id FROM group_messages r WHERE r.id = x.reply AND r.group_id = x.g),
           x.body, x.image, x.client, p_sent_at
    FROM numbered x
    WHERE EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = x.g AND gm.user_id = x.s)
    ORDER BY x.n
    ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
    RETURNING group_messages.id, group_messages.group_id, group_messages.reply_to
  )
  SELECT array_agg(x.n ORDER BY x.n), array_agg(ins.id ORDER BY x.n), array_agg(ins.reply_to ORDER BY x.n),
         array_agg(ins.group_id ORDER BY x.n),
         array_agg(x.payload || jsonb_build_object('id', ins.id, 'reply_to', ins.reply_to) ORDER BY x.n)
    INTO v_n, v_id, v_reply, v_group, v_data
  FROM inserted ins JOIN numbered x ON x.new_id = ins.id;

  IF v_n IS NOT NULL THEN
    -- One log item per member per stored message, in message order: each member's seqs follow the ids.
    SELECT array_agg(f.k ORDER BY f.k, f.user_id), array_agg(f.user_id ORDER BY f.k, f.user_id),
           array_agg(v_data[f.k] ORDER BY f.k, f.user_id)
      INTO v_k, v_user, v_item
    FROM (SELECT k, gm.user_id::text AS user_id FROM generate_subscripts(v_n, 1) k
          JOIN group_members gm ON gm.group_id = v_group[k]) f;
    SELECT array_agg(a.seq ORDER BY a.n) INTO v_seq
    FROM append_updates(v_user, array_fill('singleGroupMsgFromServer'::text, ARRAY[cardinality(v_user)]), v_item, p_sent_at) a;
  END IF;

  RETURN QUERY
  SELECT t.n, true, t.id::text, p_group[t.n], p_sender[t.n], t.reply::text, p_text[t.n], p_image[t.n], p_client[t.n],
         p_sent_at, NULL::timestamptz, f.members, f.seqs
  FROM unnest(v_n, v_id, v_reply) WITH ORDINALITY AS t(n, id, reply, k)
  JOIN (SELECT u.k, array_agg(u.user_id ORDER BY u.o) AS members, array_agg(u.seq ORDER BY u.o) AS seqs
        FROM unnest(v_k, v_user, v_seq) WITH ORDINALITY AS u(k, user_id, seq, o) GROUP BY u.k) f ON f.k = t.k
  UNION ALL
  SELECT i.n, false, m.id::text, m.group_id::text, m.sender_id::text, m.reply_to::text, m.text, m.image_id::text,
         m.client_id, m.sent_at, m.edited_at, NULL::text[], NULL::bigint[]
  FROM unnest(p_sender, p_client) WITH ORDINALITY AS i(s, c, n)
  JOIN group_messages m ON m.sender_id = i.s AND m.client_id = i.c
  WHERE i.c IS NOT NULL AND NOT (i.n = ANY (COALESCE(v_n, '{}')));
END
$$;
