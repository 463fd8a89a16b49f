import { describe, expect, it } from "vitest";
import { parseView, profilePath } from "./views.ts";

describe("parseView", () => {
  it("keeps the chat routes of part 1", () => {
    expect(parseView("/")).toEqual({ kind: "chats" });
    expect(parseView("/chat/u1")).toEqual({ kind: "chats", userId: "u1" });
    expect(parseView("/group/g1")).toEqual({ kind: "chats", groupId: "g1" });
  });
  it("reads profiles by username (case-insensitive) and by id, and their lists", () => {
    expect(parseView("/@Alice")).toEqual({ kind: "profile", username: "alice" });
    expect(parseView("/user/u2")).toEqual({ kind: "profile", userId: "u2" });
    expect(parseView("/@alice/followers")).toEqual({ kind: "followers", username: "alice" });
    expect(parseView("/@alice/following")).toEqual({ kind: "following", username: "alice" });
    expect(parseView("/@")).toEqual({ kind: "chats" });
  });
  it("reads the social screens", () => {
    expect(parseView("/home")).toEqual({ kind: "home" });
    expect(parseView("/tweet/t9")).toEqual({ kind: "tweet", id: "t9" });
    expect(parseView("/requests")).toEqual({ kind: "requests" });
    expect(parseView("/search")).toEqual({ kind: "search" });
    expect(parseView("/settings/profile")).toEqual({ kind: "edit-profile" });
    expect(parseView("/settings/blocked")).toEqual({ kind: "blocked" });
  });
  it("reads the moderation screen and its log tab", () => {
    expect(parseView("/moderation")).toEqual({ kind: "moderation", tab: "reports" });
    expect(parseView("/moderation/log")).toEqual({ kind: "moderation", tab: "log" });
  });
  it("builds profile paths", () => {
    expect(profilePath({ username: "bob", user_id: "u3" })).toBe("/@bob");
    expect(profilePath({ user_id: "u3" })).toBe("/user/u3");
  });
});
