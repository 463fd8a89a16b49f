import { z } from "zod";
import { MediaRefShape, type MediaRef } from "../media/presenter.ts";
import { presentSummary, UserSummaryShape } from "../people/presenter.ts";
import type { GroupRole } from "./policy.ts";
import type { GroupMessageRow, GroupRow, MemberRow } from "./repo.ts";

export const GroupRoleShape = z.enum(["owner", "admin", "member"]);

export const GroupShape = z.object({
  id: z.string(),
  title: z.string(),
  photo: z.string().nullable().describe("URL of the group photo, or null"),
  owner: z.string(),
  role: GroupRoleShape.describe("the receiving user's role"),
  members_count: z.number().int(),
  created_at: z.iso.datetime(),
});
export type Group = z.infer<typeof GroupShape>;

export const GroupMemberShape = UserSummaryShape.extend({
  role: GroupRoleShape,
  joined_at: z.iso.datetime(),
  seen_up_to: z.string().nullable().describe("the newest message the member has seen (their read mark), or null"),
});
export const GroupInfoShape = GroupShape.extend({ members: z.array(GroupMemberShape) });

export const GroupMessageShape = z.object({
  id: z.string(),
  group: z.string(),
  from: z.string(),
  reply_to: z.string().nullable(),
  context: z.object({ text: z.string().nullable(), image: MediaRefShape.nullable() }),
  sent_at: z.iso.datetime(),
  edited_at: z.iso.datetime().nullable(),
  client_id: z.string().nullable(),
  seq: z.number().int().optional().describe("the receiver's update-log seq, on pushes and on the sender's reply"),
});
export type GroupMessage = z.infer<typeof GroupMessageShape>;

/** A group as one member sees it (their own role). */
export function presentGroup(row: GroupRow, role: GroupRole, mediaUrl: (id: string) => string): Group {
  return {
    id: row.id,
    title: row.title,
    photo: row.photo_id ? mediaUrl(row.photo_id) : null,
    owner: row.owner_id,
    role,
    members_count: row.members_count,
    created_at: row.created_at.toISOString(),
  };
}

export function presentMember(row: MemberRow, mediaUrl: (id: string) => string): z.infer<typeof GroupMemberShape> {
  return { ...presentSummary({ id: row.user_id, ...row }, mediaUrl), role: row.role, joined_at: row.joined_at.toISOString(), seen_up_to: row.seen_up_to };
}

export function presentGroupMessage(row: GroupMessageRow, images: ReadonlyMap<string, MediaRef>): GroupMessage {
  return {
    id: row.id,
    group: row.group_id,
    from: row.sender_id,
    reply_to: row.reply_to,
    context: { text: row.text, image: row.image_id ? (images.get(row.image_id) ?? null) : null },
    sent_at: row.sent_at.toISOString(),
    edited_at: row.edited_at?.toISOString() ?? null,
    client_id: row.client_id,
  };
}
