import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { Id, Text } from "../../shared/schema.ts";
import { ImageInput } from "../media/intake.ts";
import { ClientIdInput, MessageContextInput } from "../messages/input.ts";
import { MessageShape } from "../messages/presenter.ts";
import { UserSummaryShape } from "../people/presenter.ts";
import { GroupInfoShape, GroupMessageShape, GroupShape } from "./presenter.ts";

const Title = Text(128);
const Members = z.array(Id).max(1000);
const CHATS_LIMIT = 500;

const RefusalShape = z.object({
  user_id: z.string(),
  reason: z.enum(["not_found", "blocked", "privacy", "already_member", "full"]),
});
const AddedShape = z.object({ added: z.array(z.string()), refused: z.array(RefusalShape) });

const exampleGroup = {
  id: "6743f1a2c3d4e5f60123aaaa",
  title: "Weekend hike",
  photo: null,
  owner: "63021602091fa84d91c8e9bf",
  role: "owner" as const,
  members_count: 3,
  created_at: "2026-12-03T12:00:00.000Z",
};
const exampleMember = {
  user_id: "62fbb1a596ac46dda02af592",
  name: "kia",
  family: "atri",
  username: "kiarashatri",
  photo: null,
  role: "member" as const,
  joined_at: "2026-12-03T12:00:00.000Z",
  seen_up_to: "6743f1a2c3d4e5f60123bbbb",
};
const exampleMessage = {
  id: "6743f1a2c3d4e5f60123bbbb",
  group: exampleGroup.id,
  from: exampleGroup.owner,
  reply_to: null,
  context: { text: "who brings the map?", image: null },
  sent_at: "2026-12-03T12:01:00.000Z",
  edited_at: null,
  client_id: "g-1",
};

export const groupEvents = {
  createGroup: clientEvent({
    summary:
      "Create a group with me as its owner and add `members` as `addGroupMembers` does (each refused one is listed with its reason, the others are added). `data` is the group with `added` and `refused`.",
    args: z.tuple([z.strictObject({ title: Title, members: Members.default([]), photo: ImageInput.optional() }).describe("group")]),
    data: GroupShape.extend(AddedShape.shape),
    reply: "createGroupFromServer",
    rate: "write",
    errors: [],
    example: { args: [{ title: "Weekend hike", members: [exampleMember.user_id] }], data: { ...exampleGroup, added: [exampleMember.user_id], refused: [] } },
    handler: (ctx, [g]) => ctx.services.groups.create(ctx, g),
  }),
  getGroupInfo: clientEvent({
    summary: "A group I am in, with its members and their roles. A group I am not in is `not_found`.",
    args: z.tuple([Id.describe("groupId")]),
    data: GroupInfoShape,
    reply: "sendGroupInfoFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: [exampleGroup.id], data: { ...exampleGroup, members: [exampleMember] } },
    handler: (ctx, [id]) => ctx.services.groups.info(ctx.userId, id),
  }),
  updateGroup: clientEvent({
    summary:
      "Change the group's title or photo (admins; `photo: null` removes it; the photo is checked, stripped and scaled like a profile photo, and only members can fetch it). Every member gets `groupUpdatedFromServer`.",
    args: z.tuple([
      z
        .strictObject({ group: Id, title: Title.optional(), photo: ImageInput.nullable().optional() })
        .refine((c) => c.title !== undefined || c.photo !== undefined, "at least one of title or photo")
        .describe("change"),
    ]),
    data: GroupShape,
    reply: "sendGroupFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ group: exampleGroup.id, title: "Sunday hike" }], data: { ...exampleGroup, title: "Sunday hike" } },
    handler: (ctx, [c]) => ctx.services.groups.update(ctx, c.group, { title: c.title, photo: c.photo }),
  }),
  addGroupMembers: clientEvent({
    summary:
      "Add members (admins). Refused, each with its reason: an unknown user, a block either way, their `group_invites` setting, one already in, or no room left (`GROUP_MAX_MEMBERS`). The added get `addedToGroupFromServer`, the others `groupUpdatedFromServer`.",
    args: z.tuple([z.strictObject({ group: Id, members: Members.min(1) }).describe("addition")]),
    data: AddedShape,
    reply: "groupMembersAddedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ group: exampleGroup.id, members: [exampleMember.user_id] }], data: { added: [exampleMember.user_id], refused: [] } },
    handler: (ctx, [a]) => ctx.services.groups.addMembers(ctx, a.group, a.members),
  }),
  removeGroupMember: clientEvent({
    summary:
      "Remove a member (admins remove members, the owner anyone; nobody the owner). They get `removedFromGroupFromServer` and lose the group, its history and its media; the others get `groupUpdatedFromServer`.",
    args: z.tuple([z.strictObject({ group: Id, user: Id }).describe("removal")]),
    data: z.object({ group: z.string(), user: z.string() }),
    reply: "groupMemberRemovedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ group: exampleGroup.id, user: exampleMember.user_id }], data: { group: exampleGroup.id, user: exampleMember.user_id } },
    handler: (ctx, [r]) => ctx.services.groups.removeMember(ctx, r.group, r.user),
  }),
  setGroupMemberRole: clientEvent({
    summary: "Make a member an admin, or an admin a member (the owner).",
    args: z.tuple([z.strictObject({ group: Id, user: Id, role: z.enum(["admin", "member"]) }).describe("change")]),
    data: GroupShape,
    reply: "sendGroupFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ group: exampleGroup.id, user: exampleMember.user_id, role: "admin" }], data: exampleGroup },
    handler: (ctx, [c]) => ctx.services.groups.setRole(ctx, c.group, c.user, c.role),
  }),
  transferGroupOwnership: clientEvent({
    summary: "Hand the group to another member (the owner); I become an admin.",
    args: z.tuple([z.strictObject({ group: Id, user: Id }).describe("transfer")]),
    data: GroupShape,
    reply: "sendGroupFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ group: exampleGroup.id, user: exampleMember.user_id }], data: { ...exampleGroup, owner: exampleMember.user_id, role: "admin" } },
    handler: (ctx, [t]) => ctx.services.groups.transferOwnership(ctx, t.group, t.user),
  }),
  leaveGroup: clientEvent({
    summary: "Leave a group. The owner transfers the ownership first, unless alone (then the group is deleted).",
    args: z.tuple([Id.describe("groupId")]),
    data: z.object({ group: z.string() }),
    reply: "groupLeftFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [exampleGroup.id], data: { group: exampleGroup.id } },
    handler: (ctx, [id]) => ctx.services.groups.leave(ctx, id),
  }),
  deleteGroup: clientEvent({
    summary: "Delete the group and its messages (the owner). Every member gets `removedFromGroupFromServer`.",
    args: z.tuple([Id.describe("groupId")]),
    data: z.object({ group: z.string() }),
    reply: "groupDeletedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [exampleGroup.id], data: { group: exampleGroup.id } },
    handler: (ctx, [id]) => ctx.services.groups.delete(ctx, id),
  }),
  newGroupMessageFromClient: clientEvent({
    summary:
      "Send a message to a group I am in. `data` is the stored message, sent only after it is committed; every member's devices (my other ones too) get `singleGroupMsgFromServer`. A retry with the same `client_id` returns the original and notifies nobody again.",
    args: z.tuple([
      z
        .strictObject({ group: Id, reply_to: Id.nullish(), context: MessageContextInput, client_id: ClientIdInput })
        .describe("message"),
    ]),
    data: GroupMessageShape,
    reply: "singleGroupMsgFromServer",
    rate: "write",
    errors: ["not_found", "payload_too_large"],
    example: { args: [{ group: exampleGroup.id, context: { text: "who brings the map?" }, client_id: "g-1" }], data: exampleMessage },
    handler: (ctx, [m]) =>
      ctx.services.groups.send(ctx, {
        group: m.group,
        reply_to: m.reply_to ?? undefined,
        text: m.context.text,
        image: m.context.image,
        client_id: m.client_id ?? undefined,
      }),
  }),
  getGroupMessages: clientEvent({
    summary: "A group's messages, newest first: 50 by default, at most 100; page with `before` (a message id).",
    args: z.tuple([z.strictObject({ group: Id, before: Id.optional(), limit: z.number().int().min(1).max(100).optional() }).describe("query")]),
    data: z.array(GroupMessageShape),
    reply: "sendGroupMessagesFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: [{ group: exampleGroup.id }], data: [exampleMessage] },
    handler: (ctx, [q]) => ctx.services.groups.history(ctx.userId, q.group, q.before, q.limit ?? 50),
  }),
  editGroupMessage: clientEvent({
    summary: "Change the text of my message in a group (the sender). Every member's devices get `groupMessageEditedFromServer`.",
    args: z.tuple([z.strictObject({ id: Id, text: Text(4096) }).describe("edit")]),
    data: GroupMessageShape,
    reply: "groupMessageEditedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ id: exampleMessage.id, text: "who brings the maps?" }], data: { ...exampleMessage, edited_at: "2026-12-03T12:03:00.000Z" } },
    handler: (ctx, [e]) => ctx.services.groups.edit(ctx, e.id, e.text),
  }),
  deleteGroupMessage: clientEvent({
    summary:
      "Delete a group message for me only, or with `for_everyone` (its sender, or an admin) for every member. The devices concerned get `groupMessageDeletedFromServer`.",
    args: z.tuple([z.strictObject({ id: Id, for_everyone: z.boolean().optional() }).describe("deletion")]),
    data: z.object({ id: z.string(), group: z.string(), for_everyone: z.boolean() }),
    reply: "groupMessageDeleteResultFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ id: exampleMessage.id, for_everyone: true }], data: { id: exampleMessage.id, group: exampleGroup.id, for_everyone: true } },
    handler: (ctx, [d]) => ctx.services.groups.deleteMessage(ctx, d.id, d.for_everyone ?? false),
  }),
  getGroupMessageReaders: clientEvent({
    summary: "Who of the other members has seen my group message, and when, earliest first (the sender only).",
    args: z.tuple([Id.describe("messageId")]),
    data: z.array(z.object({ user: UserSummaryShape, seen_at: z.iso.datetime() })),
    reply: "sendGroupMessageReadersFromServer",
    rate: "default",
    errors: ["not_found", "forbidden"],
    example: { args: [exampleMessage.id], data: [{ user: { user_id: exampleMember.user_id, name: "kia", family: "atri", username: "kiarashatri", photo: null }, seen_at: "2026-12-03T12:02:00.000Z" }] },
    handler: (ctx, [id]) => ctx.services.groups.readers(ctx.userId, id),
  }),
  getChats: clientEvent({
    summary:
      "Every conversation of mine, direct and group, newest activity first (at most 500), each with its last message (null for a group without any yet) and my unread count. `getChatList` keeps carrying direct conversations only.",
    args: z.tuple([]),
    data: z.array(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("direct"), user: UserSummaryShape, last_message: MessageShape, unread_count: z.number().int() }),
        z.object({ kind: z.literal("group"), group: GroupShape, last_message: GroupMessageShape.nullable(), unread_count: z.number().int() }),
      ]),
    ),
    reply: "sendChatsFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: [{ kind: "group" as const, group: exampleGroup, last_message: exampleMessage, unread_count: 2 }] },
    handler: async (ctx) => {
      const [direct, groups] = await Promise.all([ctx.services.messages.chatList(ctx.userId), ctx.services.groups.chats(ctx.userId, CHATS_LIMIT)]);
      const entries = [
        ...direct.map((c) => ({ activity: c.last_message.id, chat: { kind: "direct" as const, ...c } })),
        ...groups.map(({ activity, ...c }) => ({ activity, chat: { kind: "group" as const, ...c } })),
      ];
      // Ids begin with their creation time: the newest id is the latest activity, whichever table it is from.
      return entries.sort((x, y) => (x.activity < y.activity ? 1 : x.activity > y.activity ? -1 : 0)).slice(0, CHATS_LIMIT).map((e) => e.chat);
    },
  }),
  markGroupSeen: clientEvent({
    summary: "I have seen the group's messages up to and including `up_to`. Every member's devices get `groupSeenFromServer` (when my mark moved).",
    args: z.tuple([z.strictObject({ group: Id, up_to: Id }).describe("mark")]),
    data: z.object({ group: z.string(), up_to: z.string(), seen_at: z.iso.datetime() }),
    reply: undefined,
    rate: "default",
    errors: ["not_found"],
    example: { args: [{ group: exampleGroup.id, up_to: exampleMessage.id }], data: { group: exampleGroup.id, up_to: exampleMessage.id, seen_at: "2026-12-03T12:02:00.000Z" } },
    handler: (ctx, [m]) => ctx.services.groups.markSeen(ctx, m.group, m.up_to),
  }),
  groupTypingFromClient: clientEvent({
    summary:
      "I am typing in a group: the other members' devices get `groupTypingFromServer`, at most once every 2 s, not those who blocked me. Silent when I am not a member.",
    args: z.tuple([Id.describe("groupId")]),
    data: z.null(),
    reply: undefined,
    rate: "default",
    errors: [],
    example: { args: [exampleGroup.id], data: null },
    handler: (ctx, [id]) => ctx.services.groups.typing(ctx, id),
  }),
};

export const groupPushes = {
  addedToGroupFromServer: serverEvent({
    summary: "I was added to a group (or created with one). Logged (`seq`), replayed on catch-up.",
    payload: z.object({ group: GroupShape, by: z.string(), seq: z.number().int().optional() }),
    example: { group: { ...exampleGroup, role: "member" }, by: exampleGroup.owner },
  }),
  groupUpdatedFromServer: serverEvent({
    summary: "A group I am in changed: its title, its members or their roles (`role` is mine). Logged (`seq`).",
    payload: GroupShape.extend({ seq: z.number().int().optional() }),
    example: exampleGroup,
  }),
  removedFromGroupFromServer: serverEvent({
    summary: "I left, was removed from, or lost a deleted group: it leaves my chats. Logged (`seq`).",
    payload: z.object({ group: z.string(), by: z.string(), seq: z.number().int().optional() }),
    example: { group: exampleGroup.id, by: exampleGroup.owner },
  }),
  singleGroupMsgFromServer: serverEvent({
    summary: "A new message in a group I am in. Logged (`seq`).",
    payload: GroupMessageShape,
    example: { ...exampleMessage, seq: 12 },
  }),
  groupMessageEditedFromServer: serverEvent({
    summary: "A message in a group I am in was edited. Logged (`seq`).",
    payload: GroupMessageShape,
    example: { ...exampleMessage, edited_at: "2026-12-03T12:03:00.000Z", seq: 13 },
  }),
  groupMessageDeletedFromServer: serverEvent({
    summary: "A group message was deleted for everyone, or by me for me only. Logged (`seq`).",
    payload: z.object({ id: z.string(), group: z.string(), seq: z.number().int().optional() }),
    example: { id: exampleMessage.id, group: exampleGroup.id },
  }),
  groupSeenFromServer: serverEvent({
    summary: "A member's read mark in a group moved. Logged (`seq`).",
    payload: z.object({ group: z.string(), by: z.string(), up_to: z.string(), seen_at: z.iso.datetime(), seq: z.number().int().optional() }),
    example: { group: exampleGroup.id, by: exampleMember.user_id, up_to: exampleMessage.id, seen_at: "2026-12-03T12:02:00.000Z" },
  }),
  groupTypingFromServer: serverEvent({
    summary: "A member is typing in a group, shown until `until`. Not stored.",
    payload: z.object({ group: z.string(), user: z.string(), until: z.iso.datetime() }),
    example: { group: exampleGroup.id, user: exampleMember.user_id, until: "2026-12-03T12:02:06.000Z" },
  }),
};
