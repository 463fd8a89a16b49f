import { beforeEach, describe, expect, it, vi } from "vitest";
import { clearProfiles, idOfUsername, profiles, putProfile, unavailable, type Profile } from "../state/profiles.ts";
import { followRequests, replaceRequests } from "../state/requests.ts";

const api: Record<string, ReturnType<typeof vi.fn>> = {};
vi.mock("./socket.ts", () => ({
  currentClient: () => ({ socket: { connected: true }, api }),
}));
const { loadStories } = vi.hoisted(() => ({ loadStories: vi.fn(async () => {}) }));
vi.mock("./stories.ts", () => ({ loadStories }));

const { answerRequest, follow, loadProfile, resolveUsername, toggleBlock } = await import("./people.ts");

const them = "b".repeat(24);
const summary = (id: string, username: string) => ({ user_id: id, name: "N", family: "F", username, photo: null });
const profile = (extra: Partial<Profile> = {}): Profile => ({
  ...summary(them, "cee"),
  biography: "",
  last_seen: null,
  online: false,
  isPrivate: true,
  isFollowed: false,
  isBlocked: false,
  mutual: false,
  followsMe: false,
  followRequested: false,
  followers_count: 0,
  following_count: 0,
  tweets_count: 0,
  ...extra,
});
const refused = (code: string) => Object.assign(new Error(code), { code });

describe("people actions", () => {
  beforeEach(() => {
    clearProfiles();
    for (const key of Object.keys(api)) delete api[key];
  });

  it("resolves a username (any case) by asking for the profile by username, storing it, and remembers it", async () => {
    api["receiveUserProfile"] = vi.fn(async () => profile({ followsMe: true }));
    expect(await resolveUsername("Cee")).toEqual({ ok: true, value: them });
    expect(api["receiveUserProfile"]).toHaveBeenCalledWith({ username: "Cee" });
    expect(idOfUsername("cee")).toBe(them);
    expect(profiles.value.get(them)?.followsMe).toBe(true);
    expect(await resolveUsername("cee")).toEqual({ ok: true, value: them });
    expect(api["receiveUserProfile"]).toHaveBeenCalledTimes(1);
    api["receiveUserProfile"] = vi.fn(async () => {
      throw refused("not_found");
    });
    expect(await resolveUsername("ce")).toEqual({ ok: false, error: "not_found" });
  });

  it("marks a profile unavailable when the server answers not_found", async () => {
    api["receiveUserProfile"] = vi.fn(async () => {
      throw refused("not_found");
    });
    expect(await loadProfile(them)).toEqual({ ok: false, error: "not_found" });
    expect(unavailable.value.has(them)).toBe(true);
  });

  it("shows Requested at once after following a private account, then reads the profile back", async () => {
    putProfile(profile());
    api["followUser"] = vi.fn(async () => ({ status: "requested" }));
    api["receiveUserProfile"] = vi.fn(async () => profile({ followRequested: true }));
    expect(await follow(them)).toEqual({ ok: true, value: "requested" });
    expect(profiles.value.get(them)?.followRequested).toBe(true);
    expect(api["receiveUserProfile"]).toHaveBeenCalledWith(them);
    expect(loadStories).toHaveBeenCalled();
  });

  it("drops an answered request, and one already gone (not_found), but keeps it on another failure", async () => {
    replaceRequests([{ ...summary(them, "cee"), requested_at: "2026-12-03T10:00:00.000Z" }]);
    api["answerFollowRequest"] = vi.fn(async () => {
      throw refused("internal");
    });
    expect((await answerRequest(them, true)).ok).toBe(false);
    expect(followRequests.value.size).toBe(1);
    api["answerFollowRequest"] = vi.fn(async () => {
      throw refused("not_found");
    });
    await answerRequest(them, true);
    expect(followRequests.value.size).toBe(0);
  });

  it("ends the follow in the store when blocking", async () => {
    putProfile(profile({ isFollowed: true, mutual: true }));
    api["toggleBlockUser"] = vi.fn(async () => ({ blocked: true }));
    api["receiveUserProfile"] = vi.fn(async () => profile({ isBlocked: true }));
    expect(await toggleBlock(them)).toEqual({ ok: true, value: true });
    expect(profiles.value.get(them)).toMatchObject({ isBlocked: true, isFollowed: false, mutual: false });
  });
});
