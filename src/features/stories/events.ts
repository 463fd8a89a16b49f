import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { Id } from "../../shared/schema.ts";
import { ImageInput } from "../media/intake.ts";
import { UserSummaryShape } from "../people/presenter.ts";
import { StoryShape } from "./presenter.ts";

const owner = { user_id: "62fbb1a596ac46dda02af592", name: "kia", family: "atri", username: "kiarashatri", photo: null };
const exampleStory = {
  id: "6743f1a2c3d4e5f601234599",
  ownerId: owner.user_id,
  owner,
  added_at: "2026-11-25T12:00:00.000Z",
  expires_at: "2026-11-26T12:00:00.000Z",
  seen: false,
};
const StoryPhotoShape = z.union([
  z.object({ status: z.literal(true), id: z.string(), image: z.string().describe("a data: URL") }),
  z.object({ status: z.literal(false), id: z.string() }),
]);

export const storyEvents = {
  addNewStory: clientEvent({
    summary: "Share a story (an image: base64, data: URL or binary) for STORY_TTL seconds. My followers' devices get `newStoryFromServer`.",
    args: z.tuple([ImageInput]),
    data: StoryShape,
    reply: "addNewStoryFromServer",
    rate: "write",
    errors: ["payload_too_large"],
    example: { args: ["data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"], data: exampleStory },
    handler: (ctx, [image]) => ctx.services.stories.add(ctx, image),
  }),
  getStoryPhoto: clientEvent({
    summary:
      "A story's image as a data: URL; my view is recorded once. `{ status: false, id }` when it does not exist, expired, was deleted, belongs to someone else than `ownerId`, or I may not see it.",
    args: z.tuple([z.strictObject({ ownerId: Id, storyId: Id }).describe("story")]),
    data: StoryPhotoShape,
    reply: "sendStoryPhotoFromServer",
    rate: "default",
    errors: [],
    example: { args: [{ ownerId: owner.user_id, storyId: exampleStory.id }], data: { status: true as const, id: exampleStory.id, image: "data:image/jpeg;base64,/9j/4AAQ…" } },
    handler: (ctx, [{ ownerId, storyId }]) => ctx.services.stories.photo(ctx.userId, ownerId, storyId),
  }),
  deleteStory: clientEvent({
    summary: "Delete my story; the followers who were shown it get `storyDeletedFromServer`.",
    args: z.tuple([Id.describe("storyId")]),
    data: z.object({ id: z.string(), ownerId: z.string() }),
    reply: "storyDeletedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [exampleStory.id], data: { id: exampleStory.id, ownerId: owner.user_id } },
    handler: (ctx, [storyId]) => ctx.services.stories.delete(ctx, storyId),
  }),
  getStoryViewers: clientEvent({
    summary: "Who viewed my story, newest first (owner only).",
    args: z.tuple([Id.describe("storyId")]),
    data: z.array(UserSummaryShape.extend({ seen_at: z.iso.datetime() })),
    reply: "sendStoryViewersFromServer",
    rate: "default",
    errors: ["not_found", "forbidden"],
    example: { args: [exampleStory.id], data: [{ ...owner, seen_at: "2026-11-25T12:30:00.000Z" }] },
    handler: (ctx, [storyId]) => ctx.services.stories.viewers(ctx.userId, storyId),
  }),
  getFollowingStories: clientEvent({
    summary: "The same list as on connect: the active stories of everyone I follow and mine.",
    args: z.tuple([]),
    data: z.array(StoryShape),
    reply: "sendAllFollowingStorysInfoFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: [exampleStory] },
    handler: (ctx) => ctx.services.stories.following(ctx.userId),
  }),
};

export const storyPushes = {
  sendAllFollowingStorysInfoFromServer: serverEvent({
    summary:
      "Right after a connection is accepted: the active stories of everyone I follow and my own, grouped by owner (owners with an unseen story first, then by newest story; each owner's stories oldest first), with `seen`.",
    payload: z.array(StoryShape),
    example: [exampleStory],
    onConnect: ({ userId, services }) => services.stories.following(userId),
  }),
  newStoryFromServer: serverEvent({
    summary: "Someone I follow (or I, on another device) just added a story.",
    payload: StoryShape,
    example: exampleStory,
  }),
  storyDeletedFromServer: serverEvent({
    summary: "A story I was shown was deleted by its owner.",
    payload: z.object({ id: z.string(), ownerId: z.string() }),
    example: { id: exampleStory.id, ownerId: owner.user_id },
  }),
};
