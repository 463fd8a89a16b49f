import { hash } from "@node-rs/argon2";
import type { Queryable } from "../../src/db/db.ts";

/** The id of bench user n (1-based): 24 hex digits, so tokens can be minted without a lookup. */
export const userId = (n: number) => n.toString(16).padStart(24, "0");

export const BENCH_PASSWORD = "bench password";

/** Users 1..count, confirmed, all with the same password. One statement. */
export async function seedUsers(db: Queryable, count: number): Promise<void> {
  const passwordHash = await hash(BENCH_PASSWORD);
  await db.query(
    `INSERT INTO users (id, name, family, username, email, password_hash, email_confirmed_at)
     SELECT lpad(to_hex(g), 24, '0'), 'Bench', 'User' || g, 'bench_' || g, 'bench_' || g || '@bench.local', $2, now()
     FROM generate_series(1, $1::int) g`,
    [count, passwordHash],
  );
}

/** `follower` follows users from..to. */
export async function seedFollowing(db: Queryable, follower: number, from: number, to: number): Promise<void> {
  await db.query(
    `INSERT INTO follows (follower_id, followee_id) SELECT lpad(to_hex($1::int), 24, '0'), lpad(to_hex(g), 24, '0') FROM generate_series($2::int, $3::int) g`,
    [follower, from, to],
  );
}

/** Users from..to follow `followee`. */
export async function seedFollowers(db: Queryable, followee: number, from: number, to: number): Promise<void> {
  await db.query(
    `INSERT INTO follows (follower_id, followee_id) SELECT lpad(to_hex(g), 24, '0'), lpad(to_hex($1::int), 24, '0') FROM generate_series($2::int, $3::int) g`,
    [followee, from, to],
  );
}

/**
 * `count` tweets spread round-robin over users 2..owners+1, with time-ordered ids (oldest first), in batches of 100k rows
 * so the embedded database is not asked for one huge statement.
 */
export async function seedTweets(db: Queryable, count: number, owners: number): Promise<void> {
  const start = Math.floor(Date.now() / 1000) - count; // one tweet a second up to now
  for (let offset = 0; offset < count; offset += 100_000) {
    const end = Math.min(count, offset + 100_000);
    await db.query(
      `INSERT INTO tweets (id, owner_id, text, sent_at)
       SELECT lpad(to_hex($1::int + g), 8, '0') || lpad(to_hex(g), 16, '0'),
              lpad(to_hex(2 + (g % $4::int)), 24, '0'),
              'bench tweet number ' || g,
              to_timestamp($1::int + g)
       FROM generate_series($2::int, $3::int - 1) g`,
      [start, offset, end, owners],
    );
  }
}

/** `count` comments by user 2 on the given tweet. */
export async function seedComments(db: Queryable, tweetId: string, count: number): Promise<void> {
  await db.query(
    `INSERT INTO tweet_comments (id, tweet_id, owner_id, text, sent_at)
     SELECT lpad(to_hex(extract(epoch from now())::int), 8, '0') || 'c' || lpad(to_hex(g), 15, '0'), $1, lpad(to_hex(2), 24, '0'), 'comment ' || g, now()
     FROM generate_series(1, $2::int) g`,
    [tweetId, count],
  );
  await db.query("UPDATE tweets SET comments_count = $2 WHERE id = $1", [tweetId, count]);
}

/** `count` missed updates for user 1: messages from user 2, as the log holds them. */
export async function seedUpdates(db: Queryable, count: number): Promise<void> {
  await db.query(
    `INSERT INTO updates (user_id, seq, event, data)
     SELECT lpad(to_hex(1), 24, '0'), g, 'singleUnreadMsgFromServer',
            jsonb_build_object('id', lpad(to_hex(g), 24, 'a'), 'from', lpad(to_hex(2), 24, '0'), 'to', lpad(to_hex(1), 24, '0'),
                               'reply_to', null, 'context', jsonb_build_object('text', 'missed message number ' || g, 'image', null),
                               'sent_at', now(), 'edited_at', null, 'delivered_at', null, 'seen_at', null, 'client_id', null, 'seq', g)
     FROM generate_series(1, $1::int) g`,
    [count],
  );
  await db.query("INSERT INTO update_seq (user_id, last_seq) VALUES (lpad(to_hex(1), 24, '0'), $1)", [count]);
}

/** The id of bench group n (1-based): 24 hex digits, apart from every user id (the relay's rooms share one space). */
export const groupId = (n: number) => "f" + n.toString(16).padStart(23, "0");

/**
 * `groups` groups of `size` members each: group g (1-based) holds users (g-1)·size+1 .. g·size, the first its owner.
 * One statement per table.
 */
export async function seedGroups(db: Queryable, groups: number, size: number): Promise<void> {
  await db.query(
    `INSERT INTO groups (id, title, owner_id, members_count)
     SELECT 'f' || lpad(to_hex(g), 23, '0'), 'Bench group ' || g, lpad(to_hex((g - 1) * $2::int + 1), 24, '0'), $2::int
     FROM generate_series(1, $1::int) g`,
    [groups, size],
  );
  await db.query(
    `INSERT INTO group_members (group_id, user_id, role)
     SELECT 'f' || lpad(to_hex(g), 23, '0'), lpad(to_hex((g - 1) * $2::int + k), 24, '0'), CASE WHEN k = 1 THEN 'owner' ELSE 'member' END
     FROM generate_series(1, $1::int) g CROSS JOIN generate_series(1, $2::int) k`,
    [groups, size],
  );
}
