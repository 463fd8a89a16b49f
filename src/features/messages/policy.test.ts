import { describe, expect, it } from "vitest";
import { canDeleteForEveryone, canEdit, canMessage, isParticipant } from "./policy.ts";

const A = "a".repeat(24);
const B = "b".repeat(24);
const C = "c".repeat(24);

describe("messages policy", () => {
  it("decides who may message whom", () => {
    expect(canMessage(A, B, { exists: true, blocked: false })).toBe("ok");
    expect(canMessage(A, A, { exists: true, blocked: false })).toBe("self");
    expect(canMessage(A, B, { exists: false, blocked: false })).toBe("unknown");
    expect(canMessage(A, B, { exists: true, blocked: true })).toBe("blocked");
  });

  it("lets only the two people see a message, and only its sender edit or delete it for everyone", () => {
    const message = { sender_id: A, recipient_id: B };
    expect([isParticipant(A, message), isParticipant(B, message), isParticipant(C, message)]).toEqual([true, true, false]);
    expect([canEdit(A, message), canEdit(B, message)]).toEqual([true, false]);
    expect([canDeleteForEveryone(A, message), canDeleteForEveryone(B, message)]).toEqual([true, false]);
  });
});
