import { z } from "zod";

/** Each kind of outbox job and the schema of its payload (a JSON column, checked again when the job runs). */
export const jobPayloads = {
  mail: z.object({ to: z.string(), subject: z.string(), text: z.string() }),
  // One subscription, and what to tell it about; the content is read when the job runs (it may be seen by then).
  push: z.object({
    endpoint: z.string(),
    user_id: z.string(),
    source: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("direct"), message_id: z.string() }),
      z.object({ kind: z.literal("group"), group_id: z.string(), message_id: z.string() }),
      z.object({ kind: z.literal("notification"), notification_id: z.string() }),
    ]),
  }),
};

export type JobKind = keyof typeof jobPayloads;
export type JobPayload<K extends JobKind> = z.infer<(typeof jobPayloads)[K]>;

/** What runs a job of one kind: resolves when it is done, throws to have it retried with backoff. */
export type JobHandlers = { [K in JobKind]: (payload: JobPayload<K>) => Promise<void> };

export const jobKinds = Object.keys(jobPayloads) as JobKind[];
