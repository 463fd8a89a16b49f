import { describe, expect, it } from "vitest";
import { addPending, conversation, deleteMessageEverywhere, markReceipts, upsertMessages } from "./messages.ts";
import { messageStatus, type Message } from "./types.ts";

const me = "a".repeat(24);
const them = "b".repeat(24);
const msg = (id: string, from: string, extra: Partial<Message> = {}): Message => ({
  id,
  from,
  to: from === me ? them : me,
  reply_to: null,
  context: { text: id, image: null },
  sent_at: `2026-12-03T10:00:0${id.at(-1)}.000Z`,
  edited_at: null,
  delivered_at: null,
  seen_at: null,
  client_id: null,
  ...extra,
});

describe("messages by conversation", () => {
  it("replaces a pending message by its stored copy once, whatever the number of copies", () => {
    const conv = conversation(them);
    addPending(them, { ...msg("web-1", me), client_id: "web-1", local: "sending" });
    expect(conv.messages.value.map(messageStatus)).toEqual(["sending"]);
    const stored = msg("0000000000000000000000a1", me, { client_id: "web-1" });
    upsertMessages(them, [stored]);
    upsertMessages(them, [stored]);
    expect(conv.messages.value.map((m) => m.id)).toEqual([stored.id]);
    expect(messageStatus(conv.messages.value[0]!)).toBe("sent");
  });

  it("moves my messages to delivered then seen up to the receipt's id, and deletes", () => {
    const conv = conversation(them);
    upsertMessages(them, [msg("0000000000000000000000a2", me), msg("0000000000000000000000a3", me)]);
    markReceipts(them, me, "0000000000000000000000a2", "delivered_at", "2026-12-03T10:01:00.000Z");
    expect(conv.messages.value.map(messageStatus)).toEqual(["delivered", "delivered", "sent"]);
    markReceipts(them, me, "0000000000000000000000a3", "seen_at", "2026-12-03T10:02:00.000Z");
    expect(conv.messages.value.map(messageStatus)).toEqual(["seen", "seen", "seen"]);
    expect(deleteMessageEverywhere("0000000000000000000000a3")).toBe(them);
    expect(conv.messages.value).toHaveLength(2);
  });
});
