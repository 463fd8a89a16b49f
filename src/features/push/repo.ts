import type { Queryable } from "../../db/db.ts";

export interface SubscriptionRow {
  endpoint: string;
  user_id: string;
  p256dh: string;
  auth: string;
}

/** Stores a subscription; an endpoint registered again (a new login in that browser) moves to the new user. */
export async function upsertSubscription(db: Queryable, sub: SubscriptionRow): Promise<void> {
  await db.query(
    `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth) VALUES ($1, $2, $3, $4)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth`,
    [sub.endpoint, sub.user_id, sub.p256dh, sub.auth],
  );
}

/** Removes one subscription of the user; another user's endpoint is left alone. */
export async function deleteSubscription(db: Queryable, userId: string, endpoint: string): Promise<void> {
  await db.query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2", [endpoint, userId]);
}

/** Removes every subscription of the user (logout everywhere). */
export async function deleteUserSubscriptions(db: Queryable, userId: string): Promise<void> {
  await db.query("DELETE FROM push_subscriptions WHERE user_id = $1", [userId]);
}

/** The subscriptions of these users. */
export async function findSubscriptionsOf(db: Queryable, userIds: readonly string[]): Promise<SubscriptionRow[]> {
  if (userIds.length === 0) return [];
  return db.query<SubscriptionRow>("SELECT endpoint, user_id, p256dh, auth FROM push_subscriptions WHERE user_id = ANY($1::text[])", [userIds]);
}

export async function findSubscription(db: Queryable, endpoint: string): Promise<SubscriptionRow | undefined> {
  const rows = await db.query<SubscriptionRow>("SELECT endpoint, user_id, p256dh, auth FROM push_subscriptions WHERE endpoint = $1", [endpoint]);
  return rows[0];
}
