import { describe, expect, it } from "vitest";
import { canDeleteForEveryone, canEdit, canMessage, isParticipant } from "./policy.ts";

const A = "a".repeat(24);
const B = "b".repeat(24);
const C = "c".repeat(24);

describe("messages policy", () => {
  it("decides who may message whom", () => {
    const none = { exists: true, i_blocked: false, they_blocked: false, blocked_since: null };
    expect(canMessage(A, B, none)).toBe("ok");
    expect(canMessage(A, A, none)).toBe("self");
    expect(canMessage(A, B, { ...none, exists: false })).toBe("unknown");
    expect(canMessage(A, B, { ...none, i_blocked: true })).toBe("blocked");
    // A recipient who blocked me looks like nobody, so the refusal does not reveal the block.
    expect(canMessage(A, B, { ...none, they_blocked: true })).toBe("unknown");
  });

  it("lets only the two people see a message, and only its sender edit or delete it for everyone", () => {
    const message = { sender_id: A, recipient_id: B };
    expect([isParticipant(A, message), isParticipant(B, message), isParticipant(C, message)]).toEqual([true, true, false]);
    expect([canEdit(A, message, { blocked: false }), canEdit(B, message, { blocked: false })]).toEqual([true, false]);
    expect(canEdit(A, message, { blocked: true })).toBe(false);
    expect([canDeleteForEveryone(A, message), canDeleteForEveryone(B, message)]).toEqual([true, false]);
  });
});
