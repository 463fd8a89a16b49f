import { describe, expect, it } from "vitest";
import { addRefusal, canDeleteForEveryone, canLeave, canRemove } from "./policy.ts";

describe("group policy", () => {
  it("removal: admins remove members, the owner anyone, nobody the owner", () => {
    expect(canRemove("admin", "member")).toBe(true);
    expect(canRemove("admin", "admin")).toBe(false);
    expect(canRemove("owner", "admin")).toBe(true);
    expect(canRemove("owner", "owner")).toBe(false);
    expect(canRemove("member", "member")).toBe(false);
    expect(canRemove(undefined, "member")).toBe(false);
  });

  it("leaving, and deleting for everyone", () => {
    expect(canLeave("owner", 2)).toBe(false);
    expect(canLeave("owner", 1)).toBe(true);
    expect(canLeave("member", 5)).toBe(true);
    expect(canLeave(undefined, 5)).toBe(false);
    expect(canDeleteForEveryone({ userId: "a", role: "member" }, "a")).toBe(true);
    expect(canDeleteForEveryone({ userId: "a", role: "member" }, "b")).toBe(false);
    expect(canDeleteForEveryone({ userId: "a", role: "admin" }, "b")).toBe(true);
    expect(canDeleteForEveryone({ userId: "a", role: undefined }, "a")).toBe(false);
  });

  it("who may be added: existence, membership, blocks, then group_invites", () => {
    const base = { exists: true, member: false, blocked: false, invites: "everyone", follows_adder: false };
    expect(addRefusal(base)).toBeUndefined();
    expect(addRefusal({ ...base, exists: false })).toBe("not_found");
    expect(addRefusal({ ...base, member: true, blocked: true })).toBe("already_member");
    expect(addRefusal({ ...base, blocked: true })).toBe("blocked");
    expect(addRefusal({ ...base, invites: "nobody", follows_adder: true })).toBe("privacy");
    expect(addRefusal({ ...base, invites: "following" })).toBe("privacy");
    expect(addRefusal({ ...base, invites: "following", follows_adder: true })).toBeUndefined();
  });
});
