import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { Id, Name, PageNumber, Phone, Username } from "../../shared/schema.ts";
import { ImageInput } from "../media/intake.ts";
import { GroupInvitesShape, LastSeenVisibilityShape, ProfileShape, UserSummaryShape } from "./presenter.ts";

const SEQ = z.number().int().optional().describe("my update-log seq");
const ID = "63021602091fa84d91c8e9bf";
const exampleSummary = { user_id: ID, name: "john", family: "snow", username: "jhonsnow", photo: null };
const exampleProfile = {
  ...exampleSummary,
  biography: "my jhonsnow bio here",
  last_seen: "2026-11-25T12:00:00.000Z",
  online: false,
  isPrivate: false,
  isFollowed: true,
  isBlocked: false,
  mutual: true,
  followsMe: true,
  followRequested: false,
  followers_count: 12,
  following_count: 7,
  tweets_count: 3,
};
const UserId = Id.describe("userId");

export const peopleEvents = {
  receiveUserProfile: clientEvent({
    summary:
      "A user's profile, relative to me, by id or as `{ username }` (any case; for `/@username` addresses). A user who blocked me answers `not_found`, exactly as one who does not exist.",
    args: z.tuple([z.union([UserId, z.strictObject({ username: z.string().trim().min(1).max(254) })]).describe("userId or { username }")]),
    data: ProfileShape,
    reply: "sendUserProfileFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: [ID], data: exampleProfile },
    handler: (ctx, [who]) =>
      typeof who === "string" ? ctx.services.people.getProfile(ctx.userId, who) : ctx.services.people.getProfileByUsername(ctx.userId, who.username),
  }),
  updateProfile: clientEvent({
    summary:
      "Change my profile. Fields are validated as at registration; a taken username is `conflict`; `photo` is an image (base64, data: URL or binary) that is checked, stripped of metadata and scaled, or null to remove it; `last_seen_visibility` hides my last seen and online state (and, in turn, others' from me); `group_invites` says who may add me to groups (`following`: people I follow). `data` is my new profile.",
    args: z.tuple([
      z
        .strictObject({
          name: Name.optional(),
          family: z.string().trim().max(64).optional(),
          username: Username.optional(),
          biography: z.string().trim().max(500).optional(),
          phone: Phone.nullable().optional(),
          photo: ImageInput.nullable().optional(),
          last_seen_visibility: LastSeenVisibilityShape.optional(),
          group_invites: GroupInvitesShape.optional(),
        })
        .describe("changes"),
    ]),
    data: ProfileShape,
    reply: "updateProfileFromServer",
    rate: "write",
    errors: ["conflict", "payload_too_large"],
    example: { args: [{ biography: "my jhonsnow bio here" }], data: { ...exampleProfile, last_seen_visibility: "everyone" as const } },
    handler: (ctx, [changes]) => ctx.services.people.updateProfile(ctx.userId, changes),
  }),
  searchUsers: clientEvent({
    summary: "Users whose username, name or family starts with `query` (case-insensitive), best matches first, at most 50. Users who blocked me never appear.",
    args: z.tuple([z.strictObject({ query: z.string().trim().min(1).max(64), limit: z.number().int().min(1).max(50).optional() }).describe("search")]),
    data: z.array(UserSummaryShape),
    reply: "searchUsersFromServer",
    rate: "default",
    errors: [],
    example: { args: [{ query: "jhon" }], data: [exampleSummary] },
    handler: (ctx, [{ query, limit }]) => ctx.services.people.search(ctx.userId, query, limit ?? 20),
  }),
  requestLastSeen: clientEvent({
    summary:
      "Last seen and online state of up to 500 users, in the order asked. A user who blocked me, does not exist, or hides it from me comes back as `{ lastSeen: null, online: false }`.",
    args: z.tuple([z.array(Id).min(1).max(500).describe("userIds")]),
    data: z.array(z.object({ userId: z.string(), lastSeen: z.iso.datetime().nullable(), online: z.boolean() })),
    reply: "sendLastSeenFromServer",
    rate: "default",
    errors: [],
    example: { args: [[ID]], data: [{ userId: ID, lastSeen: "2026-11-25T12:00:00.000Z", online: false }] },
    handler: (ctx, [ids]) => ctx.services.people.lastSeen(ctx.userId, ids),
  }),
  followUser: clientEvent({
    summary:
      "Follow a user: a public account at once (`following`; they get `newFollowerFromServer`), a private one by request (`requested`; they get `newFollowRequest`). Myself, a blocked pair or an unknown user are refused.",
    args: z.tuple([UserId]),
    data: z.object({ status: z.enum(["following", "requested"]) }),
    reply: "followUserFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [ID], data: { status: "following" as const } },
    handler: (ctx, [userId]) => ctx.services.graph.follow(ctx.userId, userId),
  }),
  unfollowUser: clientEvent({
    summary: "Stop following a user, or withdraw my pending request (the account I asked gets `followRequestWithdrawnFromServer`).",
    args: z.tuple([UserId]),
    data: z.object({ status: z.enum(["unfollowed", "request_withdrawn", "not_following"]) }),
    reply: "unfollowUserFromServer",
    rate: "write",
    errors: [],
    example: { args: [ID], data: { status: "unfollowed" as const } },
    handler: (ctx, [userId]) => ctx.services.graph.unfollow(ctx.userId, userId),
  }),
  getFollowRequestList: clientEvent({
    summary: "Follow requests to me, newest first.",
    args: z.tuple([]),
    data: z.array(UserSummaryShape.extend({ requested_at: z.iso.datetime() })),
    reply: "sendFollowRequestListFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: [{ ...exampleSummary, requested_at: "2026-11-25T12:00:00.000Z" }] },
    handler: (ctx) => ctx.services.graph.followRequests(ctx.userId),
  }),
  answerFollowRequest: clientEvent({
    summary: "Accept (a follow is created) or reject a request to me; the applicant gets `followRequestAnsweredFromServer`.",
    args: z.tuple([z.strictObject({ userId: Id, accept: z.boolean() }).describe("answer")]),
    data: z.object({ userId: z.string(), accepted: z.boolean() }),
    reply: "answerFollowRequestFromServer",
    rate: "write",
    errors: ["not_found"],
    example: { args: [{ userId: ID, accept: true }], data: { userId: ID, accepted: true } },
    handler: (ctx, [{ userId, accept }]) => ctx.services.graph.answerRequest(ctx.userId, userId, accept),
  }),
  getPublicityStatus: clientEvent({
    summary: "Whether an account (mine when no id is given) is private.",
    args: z.union([z.tuple([]), z.tuple([UserId])]),
    data: z.object({ userId: z.string(), isPrivate: z.boolean() }),
    reply: "sendPublicityStatusFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: [ID], data: { userId: ID, isPrivate: false } },
    handler: (ctx, [userId]) => ctx.services.graph.publicity(ctx.userId, userId ?? ctx.userId),
  }),
  togglePublicityStatus: clientEvent({
    summary: "Make my account private, or public again (which accepts every pending request).",
    args: z.tuple([]),
    data: z.object({ isPrivate: z.boolean() }),
    reply: "togglePublicityStatusFromServer",
    rate: "write",
    errors: [],
    example: { args: [], data: { isPrivate: true } },
    handler: (ctx) => ctx.services.graph.togglePublicity(ctx.userId),
  }),
  getFollowingListRequest: clientEvent({
    summary: "Whom a user follows, 50 per page, newest first. A private account's lists: itself and its followers only (`forbidden`); a blocked pair: `not_found`.",
    args: z.tuple([UserId, PageNumber.optional().describe("page")]),
    data: z.object({ userId: z.string(), following: z.array(UserSummaryShape) }),
    reply: "SendFollowingListFromServer",
    rate: "default",
    errors: ["not_found", "forbidden"],
    example: { args: [ID, 1], data: { userId: ID, following: [exampleSummary] } },
    handler: (ctx, [userId, page]) => ctx.services.graph.following(ctx.userId, userId, page ?? 1),
  }),
  getFollowerListRequest: clientEvent({
    summary: "Who follows a user, 50 per page, newest first; the same visibility as the following list.",
    args: z.tuple([UserId, PageNumber.optional().describe("page")]),
    data: z.object({ userId: z.string(), followers: z.array(UserSummaryShape) }),
    reply: "SendFollowerListFromServer",
    rate: "default",
    errors: ["not_found", "forbidden"],
    example: { args: [ID], data: { userId: ID, followers: [exampleSummary] } },
    handler: (ctx, [userId, page]) => ctx.services.graph.followers(ctx.userId, userId, page ?? 1),
  }),
  toggleBlockUser: clientEvent({
    summary:
      "Block or unblock a user. Blocking removes follows and requests both ways; the blocked user can no longer message, follow, or see my profile, lists, tweets, stories or presence.",
    args: z.tuple([UserId]),
    data: z.object({ blocked: z.boolean() }),
    reply: "toggleBlockUserFromServer",
    rate: "write",
    errors: ["not_found"],
    example: { args: [ID], data: { blocked: true } },
    handler: (ctx, [userId]) => ctx.services.graph.toggleBlock(ctx.userId, userId),
  }),
  getBlockListRequest: clientEvent({
    summary: "The users I blocked, newest first.",
    args: z.tuple([]),
    data: z.array(UserSummaryShape.extend({ blocked_at: z.iso.datetime() })),
    reply: "getBlockListFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: [{ ...exampleSummary, blocked_at: "2026-11-25T12:00:00.000Z" }] },
    handler: (ctx) => ctx.services.graph.blockList(ctx.userId),
  }),
};

export const peoplePushes = {
  newFollowerFromServer: serverEvent({
    summary: "Someone started following me (my public account, or I accepted their request): their summary.",
    payload: UserSummaryShape.extend({ seq: SEQ }),
    example: { ...exampleSummary, seq: 5 },
  }),
  newFollowRequest: serverEvent({
    summary: "Someone asked to follow my private account: their summary.",
    payload: UserSummaryShape.extend({ seq: SEQ }),
    example: { ...exampleSummary, seq: 6 },
  }),
  followRequestWithdrawnFromServer: serverEvent({
    summary: "Someone withdrew their request to follow my private account; `userId` is who asked.",
    payload: z.object({ userId: z.string(), seq: SEQ }),
    example: { userId: ID, seq: 7 },
  }),
  followRequestAnsweredFromServer: serverEvent({
    summary: "My follow request was answered; `userId` is the account that answered.",
    payload: z.object({ userId: z.string(), accepted: z.boolean(), seq: SEQ }),
    example: { userId: ID, accepted: true, seq: 7 },
  }),
  followRemovedFromServer: serverEvent({
    summary: "A follow between me and someone ended because one of us blocked the other.",
    payload: z.object({ follower_id: z.string(), followee_id: z.string(), seq: SEQ }),
    example: { follower_id: ID, followee_id: "62fbb1a596ac46dda02af592", seq: 8 },
  }),
};
