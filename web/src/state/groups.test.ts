import { describe, expect, it } from "vitest";
import { sortedChats, totalUnread } from "./chats.ts";
import { forgetGroup, goneGroups, groupChatMessage, groupChats, groupConversations, groupInfos, othersMark, putGroup, replaceGroupChats, setInfo, setMemberMark } from "./groups.ts";
import type { Group, GroupInfo, GroupMessage } from "./types.ts";

const me = "a".repeat(24);
const ben = "b".repeat(24);
const group = (id: string, created = "2026-12-03T09:00:00.000Z"): Group => ({ id, title: `G ${id}`, photo: null, owner: me, role: "owner", members_count: 2, created_at: created });
const msg = (id: string, groupId: string, from: string): GroupMessage => ({
  id,
  group: groupId,
  from,
  reply_to: null,
  context: { text: id, image: null },
  sent_at: `2026-12-03T10:00:0${id.at(-1)}.000Z`,
  edited_at: null,
  client_id: null,
});
const member = (user_id: string, seen_up_to: string | null) => ({ user_id, name: "N", family: "F", username: user_id.slice(0, 5), photo: null, role: "member" as const, joined_at: "2026-12-03T09:00:00.000Z", seen_up_to });

describe("group state", () => {
  it("counts others' new messages as unread, once each, and sorts groups among chats by their last activity", () => {
    replaceGroupChats([
      { kind: "group", group: group("g1"), last_message: null, unread_count: 0 },
      { kind: "group", group: group("g2", "2026-12-03T09:30:00.000Z"), last_message: null, unread_count: 0 },
    ]);
    expect(sortedChats.value.map((c) => (c.kind === "group" ? c.group.id : ""))).toEqual(["g2", "g1"]);
    groupChatMessage(msg("m1", "g1", ben), true);
    groupChatMessage(msg("m1", "g1", ben), true);
    groupChatMessage(msg("m2", "g1", me), false);
    expect(groupChats.value.get("g1")).toMatchObject({ unread_count: 1, last_message: { id: "m2" } });
    expect(totalUnread.value).toBe(1);
    expect(sortedChats.value.map((c) => (c.kind === "group" ? c.group.id : ""))).toEqual(["g1", "g2"]);
    // An older message arriving late does not move the row back.
    groupChatMessage(msg("m0", "g1", ben), true);
    expect(groupChats.value.get("g1")?.last_message?.id).toBe("m2");
  });

  it("ticks my messages by the newest mark of any other member, and forgets a group I lost until I am added again", () => {
    const info: GroupInfo = { ...group("g3"), members: [member(me, "m9"), member(ben, null)] };
    setInfo(info);
    putGroup(group("g3"));
    expect(othersMark(info, me)).toBe("");
    setMemberMark("g3", ben, "m4");
    setMemberMark("g3", ben, "m2");
    expect(othersMark(groupInfos.value.get("g3"), me)).toBe("m4");
    groupConversations.get("g3");
    forgetGroup("g3");
    expect(groupChats.value.has("g3")).toBe(false);
    expect(goneGroups.value.has("g3")).toBe(true);
    expect(groupConversations.peek("g3")).toBeUndefined();
    putGroup(group("g3"));
    expect(goneGroups.value.has("g3")).toBe(false);
  });
});
