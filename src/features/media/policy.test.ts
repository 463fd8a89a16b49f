import { describe, expect, it } from "vitest";
import { canSeeMedia } from "./policy.ts";
import type { MediaReference } from "./repo.ts";

const OWNER = "a".repeat(24);
const VIEWER = "b".repeat(24);
const OTHER = "c".repeat(24);

const ref = (kind: MediaReference["kind"], overrides: Partial<MediaReference> = {}): MediaReference => ({
  kind,
  owner_id: OWNER,
  other_id: null,
  owner_private: false,
  viewer_follows_owner: false,
  owner_blocked_viewer: false,
  viewer_blocked_owner: false,
  active: true,
  ...overrides,
});

describe("media policy", () => {
  it("lets the uploader see an image nothing refers to yet, and nobody else", () => {
    expect(canSeeMedia(OWNER, OWNER, [])).toBe(true);
    expect(canSeeMedia(VIEWER, OWNER, [])).toBe(false);
  });

  it("shows a message image to its two people only", () => {
    expect(canSeeMedia(VIEWER, OWNER, [ref("message", { other_id: VIEWER })])).toBe(true);
    expect(canSeeMedia(VIEWER, OWNER, [ref("message", { other_id: OTHER })])).toBe(false);
  });

  it("shows a profile photo to all but those its owner blocked", () => {
    expect(canSeeMedia(VIEWER, OWNER, [ref("avatar")])).toBe(true);
    expect(canSeeMedia(VIEWER, OWNER, [ref("avatar", { viewer_blocked_owner: true })])).toBe(true);
    expect(canSeeMedia(VIEWER, OWNER, [ref("avatar", { owner_blocked_viewer: true })])).toBe(false);
  });

  it("shows a tweet image as the tweet: public, or to followers of a private account, never across a block", () => {
    expect(canSeeMedia(VIEWER, OWNER, [ref("tweet")])).toBe(true);
    expect(canSeeMedia(VIEWER, OWNER, [ref("tweet", { owner_private: true })])).toBe(false);
    expect(canSeeMedia(VIEWER, OWNER, [ref("tweet", { owner_private: true, viewer_follows_owner: true })])).toBe(true);
    expect(canSeeMedia(VIEWER, OWNER, [ref("tweet", { viewer_blocked_owner: true })])).toBe(false);
    expect(canSeeMedia(VIEWER, OWNER, [ref("tweet", { owner_blocked_viewer: true })])).toBe(false);
  });

  it("shows an active story image to followers only", () => {
    expect(canSeeMedia(VIEWER, OWNER, [ref("story", { viewer_follows_owner: true })])).toBe(true);
    expect(canSeeMedia(VIEWER, OWNER, [ref("story")])).toBe(false);
    expect(canSeeMedia(VIEWER, OWNER, [ref("story", { viewer_follows_owner: true, active: false })])).toBe(false);
    expect(canSeeMedia(VIEWER, OWNER, [ref("story", { viewer_follows_owner: true, owner_blocked_viewer: true })])).toBe(false);
  });

  it("is enough that one reference allows it", () => {
    expect(canSeeMedia(VIEWER, OWNER, [ref("story"), ref("avatar")])).toBe(true);
  });
});
