import type { Agent } from "node:https";
import webpush, { WebPushError } from "web-push";
import type { Db, Queryable } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { AfterErasure } from "../../shared/tombstone.ts";
import type { JobPayload } from "../outbox/jobs.ts";
import type { Outbox } from "../outbox/service.ts";
import type { Presence } from "../presence/presence.ts";
import { refusedEndpoint } from "./endpoint-guard.ts";
import { pushPayload } from "./payload.ts";
import * as repo from "./repo.ts";
import { resolveVapidKeys, type VapidKeys } from "./vapid.ts";

/** A message's facts as the recipient sees them when its push is due; undefined: gone, hidden, or no longer visible. */
export interface MessageFacts {
  kind: "message" | "notification";
  seen: boolean;
  title: string;
  text: string | null;
  hasImage: boolean;
  url: string;
}

/** What pushes need from other features, read through their services (wired by the composition root). */
export interface PushFacts {
  direct(recipientId: string, messageId: string): Promise<MessageFacts | undefined>;
  group(recipientId: string, groupId: string, messageId: string): Promise<MessageFacts | undefined>;
  /** A notification entry; seen: read. */
  notification(recipientId: string, notificationId: string): Promise<MessageFacts | undefined>;
  /** The user's push_previews setting. */
  previews(userId: string): Promise<boolean>;
}

export interface PushDeps {
  db: Db;
  log: Logger;
  outbox: Outbox;
  presence: Presence;
  facts: PushFacts;
  config: { vapidPublicKey: string | undefined; vapidPrivateKey: string | undefined; vapidSubject: string; delayMs: number; allowPrivateEndpoints: boolean };
  dataDir: string;
  /** The HTTPS agent for push services (tests trust their own push service's certificate with it). */
  agent?: Agent;
}

export type SentMessage =
  | { kind: "direct"; message_id: string; recipients: readonly string[] }
  | { kind: "group"; group_id: string; message_id: string; recipients: readonly string[] };

/** Web Push: subscriptions, and a push to each browser of a user who has no device connected anywhere. */
export class PushService {
  private keys: Promise<VapidKeys> | undefined;

  constructor(private readonly deps: PushDeps) {}

  /** The VAPID key pair, read or generated once. */
  vapidKeys(): Promise<VapidKeys> {
    this.keys ??= resolveVapidKeys({ publicKey: this.deps.config.vapidPublicKey, privateKey: this.deps.config.vapidPrivateKey }, this.deps.dataDir);
    return this.keys;
  }

  /** Registers this browser's subscription for the user (again after each login is harmless). */
  async register(userId: string, sub: { endpoint: string; keys: { p256dh: string; auth: string } }): Promise<{ endpoint: string }> {
    await repo.upsertSubscription(this.deps.db, { endpoint: sub.endpoint, user_id: userId, p256dh: sub.keys.p256dh, auth: sub.keys.auth });
    return { endpoint: sub.endpoint };
  }

  /** Removes one of the user's subscriptions (the browser turned push off, or logs out). */
  async unregister(userId: string, endpoint: string): Promise<{ endpoint: string }> {
    await repo.deleteSubscription(this.deps.db, userId, endpoint);
    return { endpoint };
  }

  /** Removes every subscription of the user (logout everywhere). */
  async unregisterAll(userId: string): Promise<void> {
    await repo.deleteUserSubscriptions(this.deps.db, userId);
  }

  /** The push part of deleting an account (inside its transaction): every subscription; queued jobs then find none. */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    await repo.deleteUserSubscriptions(tx, userId);
    return () => undefined;
  }

  /**
   * After a message commits: one push job per subscription of each recipient with no device connected, due after
   * PUSH_DELAY. Written after the message's own (batched) transaction, so a node that dies in between loses the push,
   * never the message (it arrives by catch-up).
   */
  async messageSent(sent: SentMessage): Promise<void> {
    const { db, outbox, presence, config } = this.deps;
    // Presence first: most recipients are online, and asking presence is cheaper than asking the database.
    const online = await presence.online(sent.recipients);
    const away = sent.recipients.filter((id) => !online.has(id));
    if (away.length === 0) return;
    const offline = await repo.findSubscriptionsOf(db, away);
    if (offline.length === 0) return;
    const source = sent.kind === "direct" ? { kind: "direct" as const, message_id: sent.message_id } : { kind: "group" as const, group_id: sent.group_id, message_id: sent.message_id };
    await db.transaction(async (tx) => {
      for (const sub of offline) await outbox.enqueue(tx, "push", { endpoint: sub.endpoint, user_id: sub.user_id, source }, config.delayMs);
    });
  }

  /**
   * In the transaction that writes notifications: one push job per subscription of each recipient with no device
   * connected, due after PUSH_DELAY (so a notification and its push commit or roll back together).
   */
  async notificationsWritten(tx: Queryable, entries: readonly { recipient: string; id: string }[]): Promise<void> {
    const { presence, outbox, config } = this.deps;
    const recipients = [...new Set(entries.map((e) => e.recipient))];
    if (recipients.length === 0) return;
    // Presence unreachable (Redis down): no pushes, rather than failing the follow or like that caused them.
    const online = await presence.online(recipients).catch((err: unknown) => {
      this.deps.log.warn({ err }, "presence unavailable; notifications not pushed");
      return undefined;
    });
    if (!online) return;
    const away = recipients.filter((id) => !online.has(id));
    if (away.length === 0) return;
    const subs = await repo.findSubscriptionsOf(tx, away);
    for (const entry of entries) {
      for (const sub of subs.filter((s) => s.user_id === entry.recipient)) {
        await outbox.enqueue(tx, "push", { endpoint: sub.endpoint, user_id: sub.user_id, source: { kind: "notification", notification_id: entry.id } }, config.delayMs);
      }
    }
  }

  /**
   * The outbox handler: skipped when a device of the user connected or the message was seen meanwhile; 404 or 410
   * from the push service removes the subscription; anything else that fails is thrown, for the outbox to retry.
   */
  async deliver(job: JobPayload<"push">): Promise<void> {
    const { db, facts, presence, log } = this.deps;
    const sub = await repo.findSubscription(db, job.endpoint);
    if (!sub || sub.user_id !== job.user_id) return;
    const refused = await refusedEndpoint(sub.endpoint, this.deps.config.allowPrivateEndpoints);
    if (refused) {
      log.warn({ userId: sub.user_id, reason: refused }, "push endpoint refused (PUSH_PRIVATE_ENDPOINTS=deny); subscription removed");
      await repo.deleteSubscription(db, sub.user_id, sub.endpoint);
      return;
    }
    if ((await presence.online([job.user_id])).has(job.user_id)) return;
    const source = job.source;
    const message =
      source.kind === "direct"
        ? await facts.direct(job.user_id, source.message_id)
        : source.kind === "group"
          ? await facts.group(job.user_id, source.group_id, source.message_id)
          : await facts.notification(job.user_id, source.notification_id);
    if (!message || message.seen) return;
    const payload = pushPayload(message, await facts.previews(job.user_id));
    const keys = await this.vapidKeys();
    try {
      await webpush.sendNotification({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(payload), {
        vapidDetails: { subject: this.deps.config.vapidSubject, publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: 24 * 3600,
        timeout: 15_000,
        ...(this.deps.agent ? { agent: this.deps.agent } : {}),
      });
    } catch (err) {
      if (err instanceof WebPushError && (err.statusCode === 404 || err.statusCode === 410)) {
        log.info({ userId: sub.user_id, status: err.statusCode }, "push subscription gone; removed");
        await repo.deleteSubscription(db, sub.user_id, sub.endpoint);
        return;
      }
      throw err instanceof WebPushError ? new Error(`push service answered ${err.statusCode}: ${err.body}`) : err;
    }
  }
}
