import { z } from "zod";
import { MediaRefShape, type MediaRef } from "../media/presenter.ts";
import type { MessageRow } from "./repo.ts";

export const MessageShape = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  reply_to: z.string().nullable(),
  context: z.object({ text: z.string().nullable(), image: MediaRefShape.nullable() }),
  sent_at: z.iso.datetime(),
  edited_at: z.iso.datetime().nullable(),
  delivered_at: z.iso.datetime().nullable(),
  seen_at: z.iso.datetime().nullable(),
  client_id: z.string().nullable(),
  seq: z.number().int().optional().describe("the receiver's update-log seq, on pushes and on the sender's reply"),
});
export type Message = z.infer<typeof MessageShape>;

/** A message as clients receive it; `images` holds the media references of the rows being presented (one lookup per list). */
export function presentMessage(row: MessageRow, images: ReadonlyMap<string, MediaRef>): Message {
  return {
    id: row.id,
    from: row.sender_id,
    to: row.recipient_id,
    reply_to: row.reply_to,
    context: { text: row.text, image: row.image_id ? (images.get(row.image_id) ?? null) : null },
    sent_at: row.sent_at.toISOString(),
    edited_at: row.edited_at?.toISOString() ?? null,
    delivered_at: row.delivered_at?.toISOString() ?? null,
    seen_at: row.seen_at?.toISOString() ?? null,
    client_id: row.client_id,
  };
}
