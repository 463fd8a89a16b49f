import type { ClientArgs, ClientEventName, TelegraphClient } from "telegraph-client";
import type { ErrorCode } from "../../src/shared/errors.ts";
import { inbox, messageState, UNKNOWN_ID, type PairRelation, type Person, type World } from "./world.ts";

/**
 * The authorization matrix: for every client event of the protocol table, the relations under which it must be
 * refused and how, or why it touches nobody else. `matrix.test.ts` drives every (event × relation) through a real
 * server over real sockets, and fails when an event of the protocol has no row here (or a row names no event).
 */

/** The relations a refusal depends on. */
export type Relation =
  | "blocked_by_target" // the other party blocked the actor
  | "blocking_target" // the actor blocked the other party
  | "private_not_follower" // a private account; the actor's follow request is pending, not accepted
  | "not_follower" // a public account the actor does not follow (stories are for followers only)
  | "not_owner" // the content, or the token, belongs to someone else
  | "not_participant" // a conversation, or a follow request, between two other people
  | "expired_story"
  | "deleted_item"
  | "not_member" // a group the actor is not in
  | "not_admin" // a group the actor is a plain member of
  | "not_moderator" // a plain user calling a moderators' event
  | "not_site_admin" // a moderator calling an admins' event
  | "target_is_staff" // a moderator acting on another moderator
  | "unknown_target"; // an id that names nothing: the answer a hidden target must be indistinguishable from

/** One situation, built through the real API. */
export interface Case<K extends ClientEventName> {
  actor: TelegraphClient;
  args: ClientArgs<K>;
  /** Reads back, through the API (as the other party too), what the call would change if it were let through. */
  readBack(): Promise<unknown>;
  /** What the reply's data must match (toMatchObject): required when the refusal is a neutral answer. */
  data?: unknown;
}

export interface Scenario<K extends ClientEventName> {
  relation: Relation;
  /** The error code, or "neutral": an answer indistinguishable from there being nothing (the case's `data`). */
  expect: ErrorCode | "neutral";
  setup(world: World): Promise<Case<K>>;
}

export interface GuardedRow<K extends ClientEventName> {
  scenarios: Scenario<K>[];
  /** The same call where it is allowed: it succeeds, and when `changes` the read-back differs (so it can see an effect). */
  allowed: { setup(world: World): Promise<Case<K>>; changes: boolean };
  note?: string;
}

export interface SelfOnlyRow {
  selfOnly: string;
}

export type MatrixRow<K extends ClientEventName> = GuardedRow<K> | SelfOnlyRow;
export type AuthorizationMatrix = { [K in ClientEventName]: MatrixRow<K> };

export const isSelfOnly = (row: MatrixRow<ClientEventName>): row is SelfOnlyRow => "selfOnly" in row;

/** A read that may itself be refused: its data, or the code it was refused with. */
async function settled(read: Promise<unknown>): Promise<unknown> {
  try {
    return await read;
  } catch (err) {
    return { refused: (err as { code?: string }).code ?? String(err) };
  }
}

// ---- read-backs, always through the API ----

const followState = (actor: Person, target: Person) =>
  Promise.all([
    target.client.api.getFollowerListRequest(target.id).then((l) => l.followers.map((u) => u.user_id)),
    target.client.api.getFollowRequestList().then((l) => l.map((u) => u.user_id)),
    actor.client.api.getFollowingListRequest(actor.id).then((l) => l.following.map((u) => u.user_id)),
  ]);

const conversation = (a: Person, b: Person) =>
  Promise.all([
    settled(a.client.api.getChatMessages(b.id).then(messageState)),
    settled(b.client.api.getChatMessages(a.id).then(messageState)),
  ]);

/** The owner's timeline as the owner sees it, with the counts a like or a comment would move, and each tweet's comments. */
const tweetState = async (owner: Person) => {
  const tweets = await owner.client.api.getTweetsOfAnUser(owner.id);
  const comments = await Promise.all(tweets.map((t) => owner.client.api.getComments(t.id).then((c) => c.comments.map((x) => x.id))));
  return tweets.map((t, i) => ({ id: t.id, likes: t.likes_count, comments: t.comments_count, commentIds: comments[i] }));
};

const storyState = async (owner: Person, storyId: string) => ({
  bar: (await owner.client.api.getFollowingStories()).map((s) => s.id),
  viewers: await settled(owner.client.api.getStoryViewers(storyId).then((v) => v.map((u) => u.user_id))),
});

/** An expired story's views can no longer be read through the API (not even by its owner): the table is the read-back. */
const viewsInTable = (world: World, storyId: string) =>
  world.server.db.query<{ viewer_id: string }>("SELECT viewer_id FROM story_views WHERE story_id = $1", [storyId]);

// ---- scenario builders shared by rows ----

/** A scenario where the actor, in `relation` to the target, calls about the target itself. */
function aboutTarget<K extends ClientEventName>(
  relation: Exclude<Relation, "unknown_target">,
  expect: ErrorCode | "neutral",
  pair: PairRelation,
  build: (actor: Person, target: Person) => Omit<Case<K>, "actor">,
): Scenario<K> {
  return {
    relation,
    expect,
    async setup(world) {
      const [actor, target] = await world.two();
      await world.relate(actor, target, pair);
      return { actor: actor.client, ...build(actor, target) };
    },
  };
}

/** A scenario naming an id that does not exist. */
function aboutNobody<K extends ClientEventName>(expect: ErrorCode | "neutral", build: (actor: Person) => Omit<Case<K>, "actor">): Scenario<K> {
  return {
    relation: "unknown_target",
    expect,
    async setup(world) {
      const actor = await world.person("Actor");
      return { actor: actor.client, ...build(actor) };
    },
  };
}

/** Profile-like reads: refused when the target blocked me, exactly as for nobody; the blocker still sees. */
const hiddenByBlock = <K extends ClientEventName>(args: (id: string) => ClientArgs<K>): Scenario<K>[] => [
  aboutTarget<K>("blocked_by_target", "not_found", "blocked_by_target", (_a, t) => ({ args: args(t.id), readBack: async () => null })),
  aboutNobody<K>("not_found", () => ({ args: args(UNKNOWN_ID), readBack: async () => null })),
];

/** Lists of a user: nothing across a block (either way), followers only for a private account. */
const listScenarios = <K extends "getFollowingListRequest" | "getFollowerListRequest" | "getTweetsOfAnUser">(
  args: (id: string) => ClientArgs<K>,
): Scenario<K>[] => [
  ...hiddenByBlock<K>(args),
  aboutTarget<K>("blocking_target", "not_found", "blocking_target", (_a, t) => ({ args: args(t.id), readBack: async () => null })),
  aboutTarget<K>("private_not_follower", "forbidden", "private_not_follower", (_a, t) => ({ args: args(t.id), readBack: async () => null })),
];

/**
 * A call on a tweet of the target's: `make` turns the tweet into the call; refused as `not_found` (as for no tweet) across
 * a block either way, for a private account's non-follower, and once the tweet is deleted.
 */
function onTweet<K extends ClientEventName>(
  relation: "blocked_by_target" | "blocking_target" | "private_not_follower" | "deleted_item" | "not_owner",
  expect: ErrorCode,
  make: (tweetId: string, world: World, owner: Person) => Promise<ClientArgs<K>> | ClientArgs<K>,
): Scenario<K> {
  return {
    relation,
    expect,
    async setup(world) {
      const [actor, owner] = await world.two();
      const tweet = await world.tweet(owner);
      const args = await make(tweet.id, world, owner);
      if (relation === "deleted_item") await owner.client.api.deleteTweet(tweet.id);
      else if (relation !== "not_owner") await world.relate(actor, owner, relation);
      return { actor: actor.client, args, readBack: () => tweetState(owner) };
    },
  };
}

const tweetRefusals = <K extends ClientEventName>(make: (tweetId: string, world: World, owner: Person) => Promise<ClientArgs<K>> | ClientArgs<K>) =>
  (["blocked_by_target", "blocking_target", "private_not_follower", "deleted_item"] as const).map((r) => onTweet<K>(r, "not_found", make));

/** The allowed counterpart of `onTweet`: a stranger acting on a public tweet. */
const onPublicTweet = <K extends ClientEventName>(make: (tweetId: string, world: World, owner: Person) => Promise<ClientArgs<K>> | ClientArgs<K>) =>
  async (world: World): Promise<Case<K>> => {
    const [actor, owner] = await world.two();
    const tweet = await world.tweet(owner);
    return { actor: actor.client, args: await make(tweet.id, world, owner), readBack: () => tweetState(owner) };
  };

/** A comment by a third person on the owner's tweet (they follow the owner, so it stays visible to them). */
async function commented(world: World, owner: Person, tweetId: string): Promise<string> {
  const author = await world.person("Commenter");
  await world.relate(author, owner, "follower");
  return (await author.client.api.addCommentToTweet(tweetId, "a comment")).id;
}

type StoryRelation = "not_follower" | "private_not_follower" | "blocked_by_target" | "blocking_target" | "not_owner" | "expired_story" | "deleted_item";

/**
 * A call on a story of the owner's. The actor follows the owner first except for the non-follower relations, so that the
 * block, the expiry or the deletion is what refuses. `asOwner`: the owner makes the call (expiry and deletion hold for them too).
 */
function onStory<K extends "getStoryPhoto" | "deleteStory" | "getStoryViewers">(
  relation: StoryRelation,
  expect: ErrorCode | "neutral",
  args: (story: { id: string; ownerId: string }, actor: Person) => ClientArgs<K>,
  options: { asOwner?: boolean } = {},
): Scenario<K> {
  return {
    relation,
    expect,
    async setup(world) {
      const [viewer, owner] = await world.two();
      const actor = options.asOwner ? owner : viewer;
      if (relation === "private_not_follower") await world.relate(viewer, owner, "private_not_follower");
      else if (relation !== "not_follower") await world.relate(viewer, owner, "follower");
      const story = await world.story(owner);
      if (relation === "blocked_by_target" || relation === "blocking_target") await world.relate(viewer, owner, relation);
      if (relation === "deleted_item") await owner.client.api.deleteStory(story.id);
      if (relation === "expired_story") world.expireStories();
      const readBack =
        relation === "expired_story"
          ? async () => ({ views: await viewsInTable(world, story.id), bar: await owner.client.api.getFollowingStories() })
          : () => storyState(owner, story.id);
      return { actor: actor.client, args: args({ id: story.id, ownerId: owner.id }, actor), readBack, data: { status: false, id: story.id } };
    },
  };
}

/** A story of the owner's, called on by one of their followers (or by the owner). */
const onOwnStory =
  <K extends "getStoryPhoto" | "deleteStory" | "getStoryViewers">(args: (story: { id: string; ownerId: string }) => ClientArgs<K>, asOwner: boolean) =>
  async (world: World): Promise<Case<K>> => {
    const [viewer, owner] = await world.two();
    await world.relate(viewer, owner, "follower");
    const story = await world.story(owner);
    await viewer.client.api.getStoryPhoto({ ownerId: owner.id, storyId: story.id });
    return { actor: (asOwner ? owner : viewer).client, args: args({ id: story.id, ownerId: owner.id }), readBack: () => storyState(owner, story.id) };
  };

/** A message from a sender to a recipient; the case's actor is chosen by `who`. */
async function onMessage<K extends "editMessage" | "deleteMessage" | "markMessagesSeen">(
  world: World,
  who: "sender" | "recipient" | "third",
  args: (message: { id: string; from: string }) => ClientArgs<K>,
  before: (people: { sender: Person; recipient: Person; messageId: string }) => Promise<unknown> = async () => undefined,
): Promise<Case<K>> {
  const [sender, recipient] = await world.two();
  const message = await world.message(sender, recipient);
  await before({ sender, recipient, messageId: message.id });
  const actor = who === "sender" ? sender : who === "recipient" ? recipient : await world.person("Third");
  return { actor: actor.client, args: args({ id: message.id, from: sender.id }), readBack: () => conversation(sender, recipient) };
}

const editArgs = (m: { id: string }): ClientArgs<"editMessage"> => [{ id: m.id, text: "rewritten" }];
const deleteForAllArgs = (m: { id: string }): ClientArgs<"deleteMessage"> => [{ id: m.id, for_everyone: true }];

// ---- moderation ----

/** A fresh person with a role, given as the command line gives it (roles cannot be had through the API otherwise). */
async function withRole(world: World, role: "moderator" | "admin", name = "Staff"): Promise<Person> {
  const person = await world.person(name);
  await world.server.app.services.moderation.setRole(null, person.id, role);
  return person;
}

/** The actor for a role-guarded event: a plain user, a moderator or an admin. */
const actorAs = (world: World, as: "user" | "moderator" | "admin") => (as === "user" ? world.person("Actor") : withRole(world, as, "Actor"));

/** Role and suspension of a user, read from the moderation service (what a refused call would change). */
const standingOf = (world: World, userId: string) => world.server.app.services.moderation.standing(userId);

/** An open report by a third person about a tweet of `author`. */
async function openReport(world: World): Promise<{ id: string; author: Person }> {
  const [reporter, author] = await world.two();
  const tweet = await world.tweet(author);
  const report = await reporter.client.api.reportFromClient({ target: { kind: "tweet", id: tweet.id }, reason: "spam" });
  return { id: report.id, author };
}

const reportStatus = (world: World, reportId: string) =>
  world.server.app.services.moderation.listReports({ status: "open", limit: 1000 }).then((rs) => rs.some((r) => r.id === reportId));

/** Reports about a target (any status), as the moderators would list them. */
const reportsAbout = async (world: World, targetId: string) => {
  const open = await world.server.app.services.moderation.listReports({ status: "open", limit: 1000 });
  return open.filter((r) => r.target.id === targetId).map((r) => r.id);
};

/** A role-guarded moderation event: refused for `refusedAs`, allowed for `allowedAs`; `build` makes the call. */
function staffRow<K extends "getReports" | "resolveReport" | "suspendUser" | "unsuspendUser" | "setUserRole" | "getModerationLog">(
  refused: { relation: Relation; as: "user" | "moderator" }[],
  allowedAs: "moderator" | "admin",
  changes: boolean,
  build: (world: World, actor: Person) => Promise<Omit<Case<K>, "actor">>,
  note?: string,
): GuardedRow<K> {
  const scene = async (world: World, as: "user" | "moderator" | "admin"): Promise<Case<K>> => {
    const actor = await actorAs(world, as);
    return { actor: actor.client, ...(await build(world, actor)) };
  };
  return {
    scenarios: refused.map(({ relation, as }) => ({ relation, expect: "forbidden" as const, setup: (world: World) => scene(world, as) })),
    allowed: { setup: (world) => scene(world, allowedAs), changes },
    ...(note ? { note } : {}),
  };
}

// ---- the matrix ----

// ---- groups ----

interface GroupScene {
  actor: Person;
  owner: Person;
  member: Person;
  groupId: string;
}

/** A group of Owner and Member, with Actor outside it, in it as a member, or as an admin. */
async function groupScene(world: World, actorIs: "outsider" | "member" | "admin"): Promise<GroupScene> {
  const [owner, member, actor] = await Promise.all([world.person("Owner"), world.person("Member"), world.person("Actor")]);
  const group = await owner.client.api.createGroup({ title: "a group", members: actorIs === "outsider" ? [member.id] : [member.id, actor.id] });
  if (actorIs === "admin") await owner.client.api.setGroupMemberRole({ group: group.id, user: actor.id, role: "admin" });
  return { actor, owner, member, groupId: group.id };
}

/** What the owner sees of the group: title, owner and members with roles. */
const groupView = (g: GroupScene) =>
  settled(
    g.owner.client.api.getGroupInfo(g.groupId).then((info) => ({
      title: info.title,
      owner: info.owner,
      members: info.members.map((m) => `${m.user_id}:${m.role}`).sort(),
    })),
  );

function onGroup<K extends ClientEventName>(
  relation: Relation,
  expect: ErrorCode | "neutral",
  actorIs: "outsider" | "member" | "admin",
  build: (g: GroupScene) => Omit<Case<K>, "actor">,
): Scenario<K> {
  return { relation, expect, setup: async (world) => onGroupCase(world, actorIs, build) };
}

async function onGroupCase<K extends ClientEventName>(
  world: World,
  actorIs: "outsider" | "member" | "admin",
  build: (g: GroupScene) => Omit<Case<K>, "actor">,
): Promise<Case<K>> {
  const g = await groupScene(world, actorIs);
  return { actor: g.actor.client, ...build(g) };
}

/** A group scene with one message by the owner, and what every member sees of the group's messages. */
async function onOwnerMessage<K extends ClientEventName>(
  world: World,
  actorIs: "outsider" | "member" | "admin" | "owner",
  args: (messageId: string) => ClientArgs<K>,
): Promise<Case<K>> {
  const g = await groupScene(world, actorIs === "owner" ? "member" : actorIs);
  const message = await g.owner.client.api.newGroupMessageFromClient({ group: g.groupId, context: { text: "the owner's" } });
  const seen = (p: Person) =>
    settled(p.client.api.getGroupMessages({ group: g.groupId }).then((ms) => ms.map((m) => ({ id: m.id, text: m.context.text, edited_at: m.edited_at }))));
  const actor = actorIs === "owner" ? g.owner : g.actor;
  return { actor: actor.client, args: args(message.id), readBack: () => Promise.all([seen(g.owner), seen(g.member)]) };
}

/** createGroup naming a target in this relation: created without them, who hear nothing. */
function inviting(relation: "blocked_by_target" | "blocking_target", reason: string): Scenario<"createGroup"> {
  return {
    relation,
    expect: "neutral",
    async setup(world) {
      const [actor, target] = await world.two();
      await world.relate(actor, target, relation);
      const box = inbox(target.client);
      return {
        actor: actor.client,
        args: [{ title: "a group", members: [target.id] }],
        readBack: () => box.of("addedToGroupFromServer"),
        data: { added: [], refused: [{ user_id: target.id, reason }] },
      };
    },
  };
}

export const authorizationMatrix: AuthorizationMatrix = {
  ping: { selfOnly: "Answers the caller with the server time; reads and changes nothing of anyone." },

  refreshTokenFromClient: {
    scenarios: [
      {
        relation: "not_owner",
        expect: "forbidden",
        async setup(world) {
          const [actor, other] = await world.two();
          // The connection must go on acting as its own user: "mine" still names the actor.
          return { actor: actor.client, args: [{ accessToken: other.user.accessToken }], readBack: () => actor.client.api.getPublicityStatus() };
        },
      },
    ],
    allowed: {
      async setup(world) {
        const actor = await world.person();
        return { actor: actor.client, args: [{ accessToken: actor.user.accessToken }], readBack: () => actor.client.api.getPublicityStatus() };
      },
      changes: false,
    },
  },

  receiveUserProfile: {
    scenarios: hiddenByBlock<"receiveUserProfile">((id) => [id]),
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        return { actor: actor.client, args: [target.id], readBack: async () => null, data: { user_id: target.id } };
      },
      changes: false,
    },
    note: "The blocker still sees whom they blocked (isBlocked: true). A private account's profile is public; its content is not.",
  },

  updateProfile: { selfOnly: "Changes the caller's own profile; names nobody else." },

  searchUsers: {
    scenarios: [
      aboutTarget("blocked_by_target", "neutral", "blocked_by_target", (_a, t) => ({
        args: [{ query: t.user.username }],
        readBack: async () => null,
        data: [],
      })),
    ],
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        return { actor: actor.client, args: [{ query: target.user.username }], readBack: async () => null, data: [{ user_id: target.id }] };
      },
      changes: false,
    },
  },

  requestLastSeen: {
    scenarios: [
      aboutTarget("blocked_by_target", "neutral", "blocked_by_target", (_a, t) => ({
        args: [[t.id]],
        readBack: async () => null,
        data: [{ userId: t.id, lastSeen: null, online: false }],
      })),
      {
        relation: "not_follower",
        expect: "neutral",
        async setup(world) {
          const [actor, target] = await world.two();
          await target.client.api.updateProfile({ last_seen_visibility: "followers" });
          return { actor: actor.client, args: [[target.id]], readBack: async () => null, data: [{ userId: target.id, lastSeen: null, online: false }] };
        },
      },
      aboutNobody("neutral", () => ({ args: [[UNKNOWN_ID]], readBack: async () => null, data: [{ userId: UNKNOWN_ID, lastSeen: null, online: false }] })),
    ],
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        return { actor: actor.client, args: [[target.id]], readBack: async () => null, data: [{ userId: target.id, online: true }] };
      },
      changes: false,
    },
  },

  followUser: {
    scenarios: [
      aboutTarget("blocked_by_target", "not_found", "blocked_by_target", (a, t) => ({ args: [t.id], readBack: () => followState(a, t) })),
      aboutTarget("blocking_target", "forbidden", "blocking_target", (a, t) => ({ args: [t.id], readBack: () => followState(a, t) })),
      aboutNobody("not_found", (a) => ({ args: [UNKNOWN_ID], readBack: () => followState(a, a) })),
    ],
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        return { actor: actor.client, args: [target.id], readBack: () => followState(actor, target) };
      },
      changes: true,
    },
    note: "Someone who blocked me answers not_found, as an unknown user; one I blocked answers forbidden (I know they exist).",
  },

  unfollowUser: {
    selfOnly: "Removes only the caller's own follow or pending request; never refuses (blocked or unknown: not_following).",
  },
  getFollowRequestList: { selfOnly: "The requests to the caller." },

  answerFollowRequest: {
    scenarios: [
      {
        relation: "not_participant",
        expect: "not_found",
        async setup(world) {
          const [actor, target] = await world.two();
          const requester = await world.person("Requester");
          await world.relate(requester, target, "private_not_follower");
          return {
            actor: actor.client,
            args: [{ userId: requester.id, accept: true }],
            readBack: () => Promise.all([followState(requester, target), followState(requester, actor)]),
          };
        },
      },
      {
        relation: "deleted_item",
        expect: "not_found",
        async setup(world) {
          const [actor, requester] = await world.two();
          await world.relate(requester, actor, "private_not_follower");
          await requester.client.api.unfollowUser(actor.id);
          return { actor: actor.client, args: [{ userId: requester.id, accept: true }], readBack: () => followState(requester, actor) };
        },
      },
      {
        relation: "blocking_target",
        expect: "not_found",
        async setup(world) {
          const [actor, requester] = await world.two();
          await world.relate(requester, actor, "private_not_follower");
          await world.relate(actor, requester, "blocking_target");
          return { actor: actor.client, args: [{ userId: requester.id, accept: true }], readBack: () => followState(requester, actor) };
        },
      },
    ],
    allowed: {
      async setup(world) {
        const [actor, requester] = await world.two();
        await world.relate(requester, actor, "private_not_follower");
        return { actor: actor.client, args: [{ userId: requester.id, accept: true }], readBack: () => followState(requester, actor) };
      },
      changes: true,
    },
  },

  getPublicityStatus: {
    scenarios: hiddenByBlock<"getPublicityStatus">((id) => [id]),
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        return { actor: actor.client, args: [target.id], readBack: async () => null, data: { userId: target.id, isPrivate: false } };
      },
      changes: false,
    },
  },

  togglePublicityStatus: { selfOnly: "Flips the caller's own account; accepting pending requests is the caller's decision." },

  getFollowingListRequest: {
    scenarios: listScenarios<"getFollowingListRequest">((id) => [id]),
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        await world.relate(actor, target, "private_follower");
        return { actor: actor.client, args: [target.id], readBack: async () => null, data: { userId: target.id } };
      },
      changes: false,
    },
  },

  getFollowerListRequest: {
    scenarios: listScenarios<"getFollowerListRequest">((id) => [id]),
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        await world.relate(actor, target, "private_follower");
        return { actor: actor.client, args: [target.id], readBack: async () => null, data: { userId: target.id, followers: [{ user_id: actor.id }] } };
      },
      changes: false,
    },
  },

  toggleBlockUser: {
    scenarios: [aboutNobody("not_found", (a) => ({ args: [UNKNOWN_ID], readBack: () => a.client.api.getBlockListRequest() }))],
    allowed: {
      // Blocking back someone who blocked me must work: my block has to outlast their unblock.
      async setup(world) {
        const [actor, target] = await world.two();
        await world.relate(actor, target, "blocked_by_target");
        return { actor: actor.client, args: [target.id], readBack: () => actor.client.api.getBlockListRequest() };
      },
      changes: true,
    },
  },

  getBlockListRequest: { selfOnly: "The caller's own blocks." },

  newMessageFromClient: {
    scenarios: [
      aboutTarget("blocked_by_target", "not_found", "blocked_by_target", (a, t) => ({
        args: [{ to: t.id, context: { text: "let me in" } }],
        readBack: () => conversation(a, t),
      })),
      aboutTarget("blocking_target", "forbidden", "blocking_target", (a, t) => ({
        args: [{ to: t.id, context: { text: "let me in" } }],
        readBack: () => conversation(a, t),
      })),
      aboutNobody("not_found", (a) => ({ args: [{ to: UNKNOWN_ID, context: { text: "anyone?" } }], readBack: () => a.client.api.getChatList() })),
    ],
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        return { actor: actor.client, args: [{ to: target.id, context: { text: "hi" } }], readBack: () => conversation(actor, target) };
      },
      changes: true,
    },
    note: "As with following: a recipient who blocked me is, to me, a user who does not exist.",
  },

  getChatMessages: {
    scenarios: [aboutNobody("not_found", () => ({ args: [UNKNOWN_ID], readBack: async () => null }))],
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        const message = await world.message(target, actor);
        return { actor: actor.client, args: [target.id], readBack: async () => null, data: [{ id: message.id }] };
      },
      changes: false,
    },
    note:
      "Keyed by the partner, so another pair's conversation cannot even be named. A blocked pair keeps reading the history both took part in.",
  },

  getChatList: { selfOnly: "The caller's own conversations (what it shows of a partner: side-doors.test.ts)." },

  markMessagesSeen: {
    scenarios: [
      {
        relation: "not_participant",
        expect: "neutral",
        async setup(world) {
          const c = await onMessage<"markMessagesSeen">(world, "third", (m) => [{ with: m.from, up_to: m.id }]);
          return { ...c, data: { count: 0 } };
        },
      },
    ],
    allowed: {
      setup: (world) => onMessage<"markMessagesSeen">(world, "recipient", (m) => [{ with: m.from, up_to: m.id }]),
      changes: true,
    },
    note: "Only messages addressed to the caller can be marked; anyone else's answer count 0.",
  },

  editMessage: {
    scenarios: [
      { relation: "not_participant", expect: "not_found", setup: (w) => onMessage<"editMessage">(w, "third", editArgs) },
      { relation: "not_owner", expect: "forbidden", setup: (w) => onMessage<"editMessage">(w, "recipient", editArgs) },
      {
        relation: "deleted_item",
        expect: "not_found",
        setup: (w) => onMessage<"editMessage">(w, "sender", editArgs, ({ sender, messageId }) => sender.client.api.deleteMessage({ id: messageId, for_everyone: true })),
      },
      {
        relation: "blocked_by_target",
        expect: "forbidden",
        setup: (w) => onMessage<"editMessage">(w, "sender", editArgs, ({ sender, recipient }) => w.relate(sender, recipient, "blocked_by_target")),
      },
      {
        relation: "blocking_target",
        expect: "forbidden",
        setup: (w) => onMessage<"editMessage">(w, "sender", editArgs, ({ sender, recipient }) => w.relate(sender, recipient, "blocking_target")),
      },
    ],
    allowed: { setup: (w) => onMessage<"editMessage">(w, "sender", editArgs), changes: true },
    note: "An edit is new content: like a new message, none across a block.",
  },

  deleteMessage: {
    scenarios: [
      { relation: "not_participant", expect: "not_found", setup: (w) => onMessage<"deleteMessage">(w, "third", deleteForAllArgs) },
      { relation: "not_owner", expect: "forbidden", setup: (w) => onMessage<"deleteMessage">(w, "recipient", deleteForAllArgs) },
      {
        relation: "deleted_item",
        expect: "not_found",
        setup: (w) =>
          onMessage<"deleteMessage">(w, "sender", deleteForAllArgs, ({ sender, messageId }) => sender.client.api.deleteMessage({ id: messageId, for_everyone: true })),
      },
    ],
    allowed: { setup: (w) => onMessage<"deleteMessage">(w, "sender", deleteForAllArgs), changes: true },
    note: "Deleting for me only is allowed to both people (it hides the message from the caller alone).",
  },

  typingFromClient: {
    scenarios: (["blocked_by_target", "blocking_target"] as const).map((relation) => ({
      relation,
      expect: "neutral" as const,
      async setup(world: World): Promise<Case<"typingFromClient">> {
        const [actor, target] = await world.two();
        await world.relate(actor, target, relation);
        const box = inbox(target.client);
        return { actor: actor.client, args: [{ to: target.id }], readBack: () => box.of("typingFromServer"), data: null };
      },
    })),
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        const box = inbox(target.client);
        return { actor: actor.client, args: [{ to: target.id }], readBack: () => box.of("typingFromServer") };
      },
      changes: true,
    },
    note: "Silently dropped, as the protocol says: the sender cannot tell a block from someone not looking.",
  },

  getUpdates: { selfOnly: "The caller's own update log." },
  ackUpdatesFromClient: { selfOnly: "Confirms the caller's own update log (receipts go to senders of messages to the caller)." },

  addNewTweet: { selfOnly: "Posts as the caller." },

  deleteTweet: {
    scenarios: [
      onTweet<"deleteTweet">("not_owner", "forbidden", (id) => [id]),
      ...tweetRefusals<"deleteTweet">((id) => [id]).filter((s) => s.relation !== "deleted_item"),
      {
        relation: "deleted_item",
        expect: "not_found",
        async setup(world) {
          const owner = await world.person("Owner");
          const tweet = await world.tweet(owner);
          await owner.client.api.deleteTweet(tweet.id);
          return { actor: owner.client, args: [tweet.id], readBack: () => tweetState(owner) };
        },
      },
    ],
    allowed: {
      async setup(world) {
        const owner = await world.person("Owner");
        const tweet = await world.tweet(owner);
        return { actor: owner.client, args: [tweet.id], readBack: () => tweetState(owner) };
      },
      changes: true,
    },
    note: "A tweet the caller may not see answers not_found (as none); one they see but do not own, forbidden.",
  },

  getTweet: {
    scenarios: tweetRefusals<"getTweet">((id) => [id]),
    allowed: { setup: onPublicTweet<"getTweet">((id) => [id]), changes: false },
  },

  toggleTweetLike: {
    scenarios: tweetRefusals<"toggleTweetLike">((id) => [id]),
    allowed: { setup: onPublicTweet<"toggleTweetLike">((id) => [id]), changes: true },
  },

  getComments: {
    scenarios: tweetRefusals<"getComments">((id) => [id]),
    allowed: { setup: onPublicTweet<"getComments">((id) => [id]), changes: false },
  },

  watchTweetComments: {
    scenarios: tweetRefusals<"watchTweetComments">((id) => [id]),
    allowed: { setup: onPublicTweet<"watchTweetComments">((id) => [id]), changes: false },
  },

  addCommentToTweet: {
    scenarios: tweetRefusals<"addCommentToTweet">((id) => [id, "let me in"]),
    allowed: { setup: onPublicTweet<"addCommentToTweet">((id) => [id, "nice"]), changes: true },
  },

  deleteTweetComment: {
    scenarios: [
      onTweet<"deleteTweetComment">("not_owner", "forbidden", async (id, world, owner) => [await commented(world, owner, id)]),
      onTweet<"deleteTweetComment">("blocked_by_target", "not_found", async (id, world, owner) => [await commented(world, owner, id)]),
      onTweet<"deleteTweetComment">("private_not_follower", "not_found", async (id, world, owner) => [await commented(world, owner, id)]),
      {
        relation: "deleted_item",
        expect: "not_found",
        async setup(world) {
          const [author, owner] = await world.two();
          const tweet = await world.tweet(owner);
          const comment = await author.client.api.addCommentToTweet(tweet.id, "soon gone");
          await author.client.api.deleteTweetComment(comment.id);
          return { actor: author.client, args: [comment.id], readBack: () => tweetState(owner) };
        },
      },
    ],
    allowed: {
      // The tweet's owner removes someone else's comment.
      async setup(world) {
        const owner = await world.person("Owner");
        const tweet = await world.tweet(owner);
        return { actor: owner.client, args: [await commented(world, owner, tweet.id)], readBack: () => tweetState(owner) };
      },
      changes: true,
    },
  },

  getTweetsOfAnUser: {
    scenarios: listScenarios<"getTweetsOfAnUser">((id) => [id]),
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        const tweet = await world.tweet(target);
        await world.relate(actor, target, "private_follower");
        return { actor: actor.client, args: [target.id], readBack: async () => null, data: [{ id: tweet.id }] };
      },
      changes: false,
    },
  },

  getHomeFeed: { selfOnly: "The caller's own feed (what reaches it: side-doors.test.ts)." },

  addNewStory: { selfOnly: "Posts as the caller." },

  getStoryPhoto: {
    scenarios: (["not_follower", "private_not_follower", "blocked_by_target", "blocking_target", "expired_story", "deleted_item"] as const)
      .map((r) => onStory<"getStoryPhoto">(r, "neutral", (s) => [{ ownerId: s.ownerId, storyId: s.id }]))
      .concat([onStory<"getStoryPhoto">("not_owner", "neutral", (s, actor) => [{ ownerId: actor.id, storyId: s.id }])]),
    allowed: {
      async setup(world) {
        const [viewer, owner] = await world.two();
        await world.relate(viewer, owner, "follower");
        const story = await world.story(owner);
        return {
          actor: viewer.client,
          args: [{ ownerId: owner.id, storyId: story.id }],
          readBack: () => storyState(owner, story.id),
          data: { status: true, id: story.id },
        };
      },
      changes: true,
    },
    note: "Refused as `{ status: false }`, the same answer as for no story; `not_owner`: the story named under another owner.",
  },

  deleteStory: {
    scenarios: [
      onStory<"deleteStory">("not_owner", "forbidden", (s) => [s.id]),
      onStory<"deleteStory">("not_follower", "not_found", (s) => [s.id]),
      onStory<"deleteStory">("blocked_by_target", "not_found", (s) => [s.id]),
      onStory<"deleteStory">("expired_story", "not_found", (s) => [s.id], { asOwner: true }),
      onStory<"deleteStory">("deleted_item", "not_found", (s) => [s.id], { asOwner: true }),
    ],
    allowed: { setup: onOwnStory<"deleteStory">((s) => [s.id], true), changes: true },
  },

  getStoryViewers: {
    scenarios: [
      onStory<"getStoryViewers">("not_owner", "forbidden", (s) => [s.id]),
      onStory<"getStoryViewers">("not_follower", "not_found", (s) => [s.id]),
      onStory<"getStoryViewers">("blocked_by_target", "not_found", (s) => [s.id]),
      onStory<"getStoryViewers">("expired_story", "not_found", (s) => [s.id], { asOwner: true }),
      onStory<"getStoryViewers">("deleted_item", "not_found", (s) => [s.id], { asOwner: true }),
    ],
    allowed: { setup: onOwnStory<"getStoryViewers">((s) => [s.id], true), changes: false },
  },

  getFollowingStories: { selfOnly: "The stories of those the caller follows, and the caller's own." },

  createGroup: {
    scenarios: [
      inviting("blocked_by_target", "blocked"),
      inviting("blocking_target", "blocked"),
      {
        relation: "unknown_target",
        expect: "neutral",
        async setup(world) {
          const actor = await world.person("Actor");
          return {
            actor: actor.client,
            args: [{ title: "a group", members: [UNKNOWN_ID] }],
            readBack: async () => null,
            data: { added: [], refused: [{ user_id: UNKNOWN_ID, reason: "not_found" }] },
          };
        },
      },
    ],
    allowed: {
      async setup(world) {
        const [actor, target] = await world.two();
        const box = inbox(target.client);
        return { actor: actor.client, args: [{ title: "a group", members: [target.id] }], readBack: () => box.of("addedToGroupFromServer") };
      },
      changes: true,
    },
    note: "A member who may not be added is listed in `refused` with the reason; the group is created without them.",
  },

  getGroupInfo: {
    scenarios: [
      onGroup<"getGroupInfo">("not_member", "not_found", "outsider", (g) => ({ args: [g.groupId], readBack: async () => null })),
      aboutNobody("not_found", () => ({ args: [UNKNOWN_ID], readBack: async () => null })),
    ],
    allowed: { setup: (w) => onGroupCase<"getGroupInfo">(w, "member", (g) => ({ args: [g.groupId], readBack: async () => null })), changes: false },
    note: "A group I am not in is, to me, a group that does not exist.",
  },

  updateGroup: {
    scenarios: [
      onGroup<"updateGroup">("not_member", "not_found", "outsider", (g) => ({ args: [{ group: g.groupId, title: "mine" }], readBack: () => groupView(g) })),
      onGroup<"updateGroup">("not_admin", "forbidden", "member", (g) => ({ args: [{ group: g.groupId, title: "mine" }], readBack: () => groupView(g) })),
    ],
    allowed: {
      setup: (w) => onGroupCase<"updateGroup">(w, "admin", (g) => ({ args: [{ group: g.groupId, title: "renamed" }], readBack: () => groupView(g) })),
      changes: true,
    },
  },

  addGroupMembers: {
    scenarios: [
      onGroup<"addGroupMembers">("not_member", "not_found", "outsider", (g) => ({ args: [{ group: g.groupId, members: [g.actor.id] }], readBack: () => groupView(g) })),
      onGroup<"addGroupMembers">("not_admin", "forbidden", "member", (g) => ({ args: [{ group: g.groupId, members: [UNKNOWN_ID] }], readBack: () => groupView(g) })),
    ],
    allowed: {
      async setup(world) {
        const g = await groupScene(world, "admin");
        const newcomer = await world.person("Newcomer");
        return { actor: g.actor.client, args: [{ group: g.groupId, members: [newcomer.id] }], readBack: () => groupView(g) };
      },
      changes: true,
    },
    note: "Who may be added at all (blocks, group_invites, the limit) is answered per user in `refused`: groups.test.ts.",
  },

  removeGroupMember: {
    scenarios: [
      onGroup<"removeGroupMember">("not_member", "not_found", "outsider", (g) => ({ args: [{ group: g.groupId, user: g.member.id }], readBack: () => groupView(g) })),
      onGroup<"removeGroupMember">("not_admin", "forbidden", "member", (g) => ({ args: [{ group: g.groupId, user: g.member.id }], readBack: () => groupView(g) })),
      onGroup<"removeGroupMember">("not_owner", "forbidden", "admin", (g) => ({ args: [{ group: g.groupId, user: g.owner.id }], readBack: () => groupView(g) })),
    ],
    allowed: {
      setup: (w) => onGroupCase<"removeGroupMember">(w, "admin", (g) => ({ args: [{ group: g.groupId, user: g.member.id }], readBack: () => groupView(g) })),
      changes: true,
    },
    note: "not_owner: an admin removing the owner.",
  },

  setGroupMemberRole: {
    scenarios: [
      onGroup<"setGroupMemberRole">("not_member", "not_found", "outsider", (g) => ({ args: [{ group: g.groupId, user: g.member.id, role: "admin" }], readBack: () => groupView(g) })),
      onGroup<"setGroupMemberRole">("not_owner", "forbidden", "admin", (g) => ({ args: [{ group: g.groupId, user: g.member.id, role: "admin" }], readBack: () => groupView(g) })),
    ],
    allowed: {
      async setup(world) {
        const g = await groupScene(world, "member");
        return { actor: g.owner.client, args: [{ group: g.groupId, user: g.member.id, role: "admin" }], readBack: () => groupView(g) };
      },
      changes: true,
    },
  },

  transferGroupOwnership: {
    scenarios: [
      onGroup<"transferGroupOwnership">("not_member", "not_found", "outsider", (g) => ({ args: [{ group: g.groupId, user: g.actor.id }], readBack: () => groupView(g) })),
      onGroup<"transferGroupOwnership">("not_owner", "forbidden", "admin", (g) => ({ args: [{ group: g.groupId, user: g.actor.id }], readBack: () => groupView(g) })),
    ],
    allowed: {
      async setup(world) {
        const g = await groupScene(world, "member");
        return { actor: g.owner.client, args: [{ group: g.groupId, user: g.member.id }], readBack: () => groupView(g) };
      },
      changes: true,
    },
  },

  leaveGroup: {
    scenarios: [onGroup<"leaveGroup">("not_member", "not_found", "outsider", (g) => ({ args: [g.groupId], readBack: () => groupView(g) }))],
    allowed: { setup: (w) => onGroupCase<"leaveGroup">(w, "member", (g) => ({ args: [g.groupId], readBack: () => groupView(g) })), changes: true },
    note: "Leaving concerns only the caller; the owner must transfer first unless alone (groups.test.ts).",
  },

  deleteGroup: {
    scenarios: [
      onGroup<"deleteGroup">("not_member", "not_found", "outsider", (g) => ({ args: [g.groupId], readBack: () => groupView(g) })),
      onGroup<"deleteGroup">("not_owner", "forbidden", "admin", (g) => ({ args: [g.groupId], readBack: () => groupView(g) })),
    ],
    allowed: {
      async setup(world) {
        const g = await groupScene(world, "member");
        return { actor: g.owner.client, args: [g.groupId], readBack: () => settled(g.member.client.api.getGroupInfo(g.groupId).then((i) => i.id)) };
      },
      changes: true,
    },
  },

  newGroupMessageFromClient: {
    scenarios: [
      onGroup<"newGroupMessageFromClient">("not_member", "not_found", "outsider", (g) => ({
        args: [{ group: g.groupId, context: { text: "let me in" } }],
        readBack: () => g.owner.client.api.getGroupMessages({ group: g.groupId }).then((ms) => ms.map((m) => m.id)),
      })),
      aboutNobody("not_found", () => ({ args: [{ group: UNKNOWN_ID, context: { text: "anyone?" } }], readBack: async () => null })),
    ],
    allowed: {
      setup: (w) =>
        onGroupCase<"newGroupMessageFromClient">(w, "member", (g) => ({
          args: [{ group: g.groupId, context: { text: "hi all" } }],
          readBack: () => g.owner.client.api.getGroupMessages({ group: g.groupId }).then((ms) => ms.map((m) => m.id)),
        })),
      changes: true,
    },
  },

  getGroupMessages: {
    scenarios: [onGroup<"getGroupMessages">("not_member", "not_found", "outsider", (g) => ({ args: [{ group: g.groupId }], readBack: async () => null }))],
    allowed: { setup: (w) => onGroupCase<"getGroupMessages">(w, "member", (g) => ({ args: [{ group: g.groupId }], readBack: async () => null })), changes: false },
    note: "A member who left or was removed reads nothing of the group any more (groups.test.ts).",
  },

  markGroupSeen: {
    scenarios: [
      {
        relation: "not_member",
        expect: "not_found",
        async setup(world) {
          const g = await groupScene(world, "outsider");
          const message = await g.owner.client.api.newGroupMessageFromClient({ group: g.groupId, context: { text: "hi" } });
          const box = inbox(g.owner.client);
          return { actor: g.actor.client, args: [{ group: g.groupId, up_to: message.id }], readBack: () => box.of("groupSeenFromServer") };
        },
      },
    ],
    allowed: {
      async setup(world) {
        const g = await groupScene(world, "member");
        const message = await g.owner.client.api.newGroupMessageFromClient({ group: g.groupId, context: { text: "hi" } });
        const box = inbox(g.owner.client);
        return { actor: g.actor.client, args: [{ group: g.groupId, up_to: message.id }], readBack: () => box.of("groupSeenFromServer") };
      },
      changes: true,
    },
  },

  groupTypingFromClient: {
    scenarios: [
      {
        relation: "not_member",
        expect: "neutral",
        async setup(world) {
          const g = await groupScene(world, "outsider");
          const box = inbox(g.owner.client);
          return { actor: g.actor.client, args: [g.groupId], readBack: () => box.of("groupTypingFromServer"), data: null };
        },
      },
      {
        relation: "blocked_by_target",
        expect: "neutral",
        async setup(world) {
          const g = await groupScene(world, "member");
          await g.owner.client.api.toggleBlockUser(g.actor.id);
          const box = inbox(g.owner.client);
          return { actor: g.actor.client, args: [g.groupId], readBack: () => box.of("groupTypingFromServer"), data: null };
        },
      },
    ],
    allowed: {
      async setup(world) {
        const g = await groupScene(world, "member");
        const box = inbox(g.owner.client);
        return { actor: g.actor.client, args: [g.groupId], readBack: () => box.of("groupTypingFromServer") };
      },
      changes: true,
    },
    note: "Both stay members across a block, but the one who blocked does not see the other typing.",
  },

  editGroupMessage: {
    scenarios: [
      { relation: "not_member", expect: "not_found", setup: (w) => onOwnerMessage<"editGroupMessage">(w, "outsider", (id) => [{ id, text: "mine now" }]) },
      { relation: "not_owner", expect: "forbidden", setup: (w) => onOwnerMessage<"editGroupMessage">(w, "admin", (id) => [{ id, text: "mine now" }]) },
    ],
    allowed: {
      setup: (w) => onOwnerMessage<"editGroupMessage">(w, "owner", (id) => [{ id, text: "edited" }]),
      changes: true,
    },
    note: "Only the sender edits, an admin neither.",
  },

  deleteGroupMessage: {
    scenarios: [
      { relation: "not_member", expect: "not_found", setup: (w) => onOwnerMessage<"deleteGroupMessage">(w, "outsider", (id) => [{ id, for_everyone: true }]) },
      { relation: "not_admin", expect: "forbidden", setup: (w) => onOwnerMessage<"deleteGroupMessage">(w, "member", (id) => [{ id, for_everyone: true }]) },
    ],
    allowed: { setup: (w) => onOwnerMessage<"deleteGroupMessage">(w, "admin", (id) => [{ id, for_everyone: true }]), changes: true },
    note: "For everyone: the sender or an admin. For me only: anyone who sees it (groups.test.ts).",
  },

  getGroupMessageReaders: {
    scenarios: [
      { relation: "not_member", expect: "not_found", setup: (w) => onOwnerMessage<"getGroupMessageReaders">(w, "outsider", (id) => [id]) },
      { relation: "not_owner", expect: "forbidden", setup: (w) => onOwnerMessage<"getGroupMessageReaders">(w, "member", (id) => [id]) },
    ],
    allowed: {
      setup: (w) => onOwnerMessage<"getGroupMessageReaders">(w, "owner", (id) => [id]),
      changes: false,
    },
    note: "Only the sender learns who read a message.",
  },

  getChats: { selfOnly: "The caller's own conversations and groups." },

  // ---- web push ----
  registerPushSubscription: { selfOnly: "Registers a subscription for the caller; an endpoint registered again moves to whoever registered it last (the browser's new login)." },
  unregisterPushSubscription: { selfOnly: "Removes only the caller's own subscription; another user's endpoint is left alone (push.test.ts)." },

  // ---- notifications ----
  getNotifications: { selfOnly: "The caller's own notifications (what is written for whom: notifications.test.ts)." },
  markNotificationsRead: { selfOnly: "Marks the caller's own notifications read." },
  getNotificationSettings: { selfOnly: "The caller's own settings." },
  updateNotificationSettings: { selfOnly: "Changes the caller's own settings; names nobody else." },

  // ---- moderation ----
  reportFromClient: {
    scenarios: [
      onTweet<"reportFromClient">("blocked_by_target", "not_found", (id) => [{ target: { kind: "tweet", id }, reason: "spam" }]),
      onTweet<"reportFromClient">("private_not_follower", "not_found", (id) => [{ target: { kind: "tweet", id }, reason: "spam" }]),
      {
        relation: "not_participant",
        expect: "not_found",
        async setup(world) {
          const [sender, recipient] = await world.two();
          const message = await world.message(sender, recipient);
          const actor = await world.person("Third");
          return { actor: actor.client, args: [{ target: { kind: "message", id: message.id }, reason: "abuse" }], readBack: () => reportsAbout(world, message.id) };
        },
      },
      {
        relation: "not_owner",
        expect: "not_found",
        async setup(world) {
          // Its sender: a direct message is reported by its recipient only.
          const [sender, recipient] = await world.two();
          const message = await world.message(sender, recipient);
          return { actor: sender.client, args: [{ target: { kind: "message", id: message.id }, reason: "abuse" }], readBack: () => reportsAbout(world, message.id) };
        },
      },
      aboutNobody<"reportFromClient">("not_found", () => ({ args: [{ target: { kind: "story", id: UNKNOWN_ID }, reason: "other" }], readBack: async () => null })),
    ],
    allowed: {
      async setup(world) {
        const [actor, author] = await world.two();
        const tweet = await world.tweet(author);
        return { actor: actor.client, args: [{ target: { kind: "tweet", id: tweet.id }, reason: "spam" }], readBack: () => reportsAbout(world, tweet.id) };
      },
      changes: true,
    },
    note: "Anything the reporter can see, by the owning feature's rules (moderation.test.ts covers each kind).",
  },
  getReports: staffRow<"getReports">([{ relation: "not_moderator", as: "user" }], "moderator", false, async () => ({
    args: [{ status: "open" }],
    readBack: async () => null,
  })),
  resolveReport: staffRow<"resolveReport">([{ relation: "not_moderator", as: "user" }], "moderator", true, async (world) => {
    const report = await openReport(world);
    return { args: [{ id: report.id, action: "dismiss" }], readBack: () => reportStatus(world, report.id) };
  }),
  suspendUser: {
    scenarios: [
      ...staffRow<"suspendUser">([{ relation: "not_moderator", as: "user" }], "moderator", true, async (world) => {
        const target = await world.person("Target");
        return { args: [{ user: target.id }], readBack: () => standingOf(world, target.id) };
      }).scenarios,
      {
        relation: "target_is_staff",
        expect: "forbidden",
        async setup(world) {
          const [actor, target] = await Promise.all([withRole(world, "moderator", "Actor"), withRole(world, "moderator", "Target")]);
          return { actor: actor.client, args: [{ user: target.id }], readBack: () => standingOf(world, target.id) };
        },
      },
    ],
    allowed: {
      async setup(world) {
        const [actor, target] = await Promise.all([withRole(world, "moderator", "Actor"), world.person("Target")]);
        return { actor: actor.client, args: [{ user: target.id }], readBack: () => standingOf(world, target.id) };
      },
      changes: true,
    },
    note: "A moderator suspends plain users only; an admin anyone but themself (moderation.test.ts).",
  },
  unsuspendUser: staffRow<"unsuspendUser">([{ relation: "not_moderator", as: "user" }], "moderator", true, async (world) => {
    const target = await world.person("Target");
    await world.server.app.services.moderation.suspend(null, target.id);
    return { args: [{ user: target.id }], readBack: () => standingOf(world, target.id) };
  }),
  setUserRole: staffRow<"setUserRole">(
    [
      { relation: "not_moderator", as: "user" },
      { relation: "not_site_admin", as: "moderator" },
    ],
    "admin",
    true,
    async (world) => {
      const target = await world.person("Target");
      return { args: [{ user: target.id, role: "moderator" }], readBack: () => standingOf(world, target.id) };
    },
  ),
  getModerationLog: staffRow<"getModerationLog">(
    [
      { relation: "not_moderator", as: "user" },
      { relation: "not_site_admin", as: "moderator" },
    ],
    "admin",
    false,
    async () => ({ args: [{}], readBack: async () => null }),
  ),
};
