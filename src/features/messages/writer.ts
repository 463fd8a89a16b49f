import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import { draftSends, GroupCommit } from "../../shared/group-commit.ts";
import type { MediaRef } from "../media/presenter.ts";
import { update, type Logged, type UpdateLog } from "../sync/log.ts";
import { canMessage } from "./policy.ts";
import { presentMessage } from "./presenter.ts";
import * as repo from "./repo.ts";
import type { MessageRow, NewMessage } from "./repo.ts";

export type WriteResult =
  | { status: "stored"; row: MessageRow; logged: Logged[] }
  | { status: "duplicate"; row: MessageRow }
  | { status: "blocked" }
  | { status: "unknown" };

export interface WriteRequest {
  message: Omit<NewMessage, "id">;
  /** The stored image's reference, so the logged payloads carry it. */
  image: MediaRef | null;
}

/**
 * Group commit for direct messages (see GroupCommit): a batch is one call to the database's send_messages. Batches
 * that touch the same conversation serialise on its lock, so ids still increase in commit order.
 */
export class MessageWriter extends GroupCommit<WriteRequest, WriteResult, { db: Db; log: Logger; clock: Clock; updates: UpdateLog }> {
  protected readonly what = "message";

  protected async writeBatch(requests: WriteRequest[]): Promise<WriteResult[]> {
    const { sentAt, seconds, images, outgoing } = draftSends(requests, this.deps.clock.now(), (message, sent_at, refs) =>
      presentMessage({ ...message, id: "", sent_at, edited_at: null, delivered_at: null, seen_at: null }, refs),
    );
    const outcomes = await repo.sendMessages(this.deps.db, outgoing, seconds, sentAt);
    const results: WriteResult[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.stored) {
        const { row } = outcome;
        const message = presentMessage(row, images[i]!);
        const logged = this.deps.updates.numbered(
          [update(row.recipient_id, "singleUnreadMsgFromServer", message), update(row.sender_id, "singleSentMsgFromServer", message)],
          [outcome.recipient_seq, outcome.sender_seq],
        );
        results.push({ status: "stored", row, logged });
      } else if (outcome.original) {
        results.push({ status: "duplicate", row: outcome.original });
      } else {
        // Rare: tell an unknown recipient from a block only for the messages that were refused.
        const m = requests[i]!.message;
        const relation = await repo.findRecipientRelation(this.deps.db, m.sender_id, m.recipient_id);
        results.push({ status: canMessage(m.sender_id, m.recipient_id, relation) === "blocked" ? "blocked" : "unknown" });
      }
    }
    return results;
  }
}
