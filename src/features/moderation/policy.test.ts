import { describe, expect, it } from "vitest";
import { canSetRole, canSuspend, isAdmin, isStaff } from "./policy.ts";

const user = { id: "u", role: "user" as const };
const mod = { id: "m", role: "moderator" as const };
const otherMod = { id: "m2", role: "moderator" as const };
const admin = { id: "a", role: "admin" as const };
const otherAdmin = { id: "a2", role: "admin" as const };

describe("moderation policy", () => {
  it("knows staff and admins", () => {
    expect([isStaff("user"), isStaff("moderator"), isStaff("admin"), isStaff(undefined)]).toEqual([false, true, true, false]);
    expect([isAdmin("user"), isAdmin("moderator"), isAdmin("admin")]).toEqual([false, false, true]);
  });

  it("lets admins and the command line set roles, never taking the last admin's", () => {
    expect(canSetRole(user, otherMod, "user", 2)).toBe("forbidden");
    expect(canSetRole(mod, user, "moderator", 2)).toBe("forbidden");
    expect(canSetRole(admin, user, "moderator", 1)).toBe("ok");
    expect(canSetRole(admin, admin, "moderator", 1)).toBe("last_admin");
    expect(canSetRole(null, admin, "user", 1)).toBe("last_admin");
    expect(canSetRole(admin, admin, "moderator", 2)).toBe("ok");
    expect(canSetRole(admin, admin, "admin", 1)).toBe("ok");
    expect(canSetRole(null, user, "admin", 0)).toBe("ok");
  });

  it("lets moderators suspend plain users, admins anyone but themselves, the command line anyone", () => {
    expect(canSuspend(mod, user)).toBe(true);
    expect(canSuspend(mod, otherMod)).toBe(false);
    expect(canSuspend(mod, admin)).toBe(false);
    expect(canSuspend(mod, mod)).toBe(false);
    expect(canSuspend(admin, otherMod)).toBe(true);
    expect(canSuspend(admin, otherAdmin)).toBe(true);
    expect(canSuspend(admin, admin)).toBe(false);
    expect(canSuspend(user, otherMod)).toBe(false);
    expect(canSuspend(null, admin)).toBe(true);
  });
});
