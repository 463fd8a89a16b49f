import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import { draftSends, GroupCommit } from "../../shared/group-commit.ts";
import type { MediaRef } from "../media/presenter.ts";
import { update, type Logged, type UpdateLog } from "../sync/log.ts";
import { presentGroupMessage } from "./presenter.ts";
import * as repo from "./repo.ts";
import type { GroupMessageRow, OutgoingGroupMessage } from "./repo.ts";

export type GroupWriteResult =
  | { status: "stored"; row: GroupMessageRow; logged: Logged[] }
  | { status: "duplicate"; row: GroupMessageRow }
  | { status: "refused" };

export interface GroupWriteRequest {
  message: Omit<OutgoingGroupMessage, "id_tail" | "payload">;
  /** The stored image's reference, so the logged payloads carry it. */
  image: MediaRef | null;
}

/**
 * Group commit for group messages (see GroupCommit): a batch, whatever groups it touches, is one call to the
 * database's send_group_messages, which checks membership under each group's lock and logs every message for every
 * member. Batches touching the same group serialise on its lock, so ids still increase in commit order there.
 */
export class GroupMessageWriter extends GroupCommit<GroupWriteRequest, GroupWriteResult, { db: Db; log: Logger; clock: Clock; updates: UpdateLog }> {
  protected readonly what = "group message";

  protected async writeBatch(requests: GroupWriteRequest[]): Promise<GroupWriteResult[]> {
    const { sentAt, seconds, images, outgoing } = draftSends(requests, this.deps.clock.now(), (message, sent_at, refs) =>
      presentGroupMessage({ ...message, id: "", sent_at, edited_at: null }, refs),
    );
    const outcomes = await repo.sendGroupMessages(this.deps.db, outgoing, seconds, sentAt);
    return outcomes.map((outcome, i): GroupWriteResult => {
      if (outcome.status === "refused") return outcome;
      if (outcome.status === "duplicate") return { status: "duplicate", row: outcome.original };
      const message = presentGroupMessage(outcome.row, images[i]!);
      const items = outcome.members.map((member) => update(member, "singleGroupMsgFromServer", message));
      return { status: "stored", row: outcome.row, logged: this.deps.updates.numbered(items, outcome.seqs) };
    });
  }
}
