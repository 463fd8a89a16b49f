import type { TelegraphClient } from "telegraph-client";
import { connectAs, createUser, record, type TestUser } from "../helpers/factories.ts";
import { makeImage } from "../helpers/images.ts";
import type { TestServer } from "../helpers/server.ts";

/** A registered, connected user. */
export interface Person {
  id: string;
  user: TestUser;
  client: TelegraphClient;
}

/** How the acting user stands to the other party when the call is made. */
export type PairRelation =
  | "stranger"
  | "follower"
  | "blocked_by_target"
  | "blocking_target"
  | "private_not_follower"
  | "private_follower";

/** Story lifetime on the matrix servers (seconds): short, so an expired story is one clock step away. */
export const STORY_TTL_SECONDS = 30;

/** An id of the right shape that names nothing. */
export const UNKNOWN_ID = "0123456789abcdef01234567";

/** Everything a scenario's setup may use: the server, its clock, and fresh people made through the real API. */
export class World {
  constructor(
    readonly server: TestServer,
    private readonly clock: { advance(ms: number): void },
  ) {}

  /** A fresh user, registered over HTTP and connected over a real socket. */
  async person(name = "P"): Promise<Person> {
    const user = await createUser(this.server, { name });
    return { id: user.userId, user, client: await connectAs(this.server, user) };
  }

  /** Two fresh people: the one who acts, and the other party. */
  async two(): Promise<[Person, Person]> {
    return Promise.all([this.person("Actor"), this.person("Target")]);
  }

  /** Puts `actor` in `relation` to `target` through the API (blocks, follows, privacy, requests). */
  async relate(actor: Person, target: Person, relation: PairRelation): Promise<void> {
    switch (relation) {
      case "stranger":
        return;
      case "follower":
        await actor.client.api.followUser(target.id);
        return;
      case "blocked_by_target":
        await target.client.api.toggleBlockUser(actor.id);
        return;
      case "blocking_target":
        await actor.client.api.toggleBlockUser(target.id);
        return;
      case "private_not_follower":
        // The strongest "not an accepted follower": a request is pending.
        await makePrivate(target);
        await actor.client.api.followUser(target.id);
        return;
      case "private_follower":
        await actor.client.api.followUser(target.id);
        await makePrivate(target);
        return;
    }
  }

  /** A public tweet of `owner`. */
  tweet(owner: Person, text = "a tweet"): Promise<{ id: string }> {
    return owner.client.api.addNewTweet(text);
  }

  /** A tweet of `owner` with an image; returns the tweet and the image's media id. */
  async tweetWithImage(owner: Person): Promise<{ id: string; mediaId: string }> {
    const tweet = await owner.client.api.addNewTweet({ context: "with an image", image: await makeImage("png", 8, 8) });
    return { id: tweet.id, mediaId: tweet.image!.id };
  }

  /** A story of `owner`. */
  async story(owner: Person): Promise<{ id: string }> {
    return owner.client.api.addNewStory(await makeImage("png", 8, 8));
  }

  /** Moves the server's clock past every story added so far. */
  expireStories(): void {
    this.clock.advance((STORY_TTL_SECONDS + 1) * 1000);
  }

  /** A direct message from one person to another. */
  message(from: Person, to: Person, text = "hello"): Promise<{ id: string }> {
    return from.client.api.newMessageFromClient({ to: to.id, context: { text } });
  }
}

export async function makePrivate(person: Person): Promise<void> {
  const { isPrivate } = await person.client.api.togglePublicityStatus();
  if (!isPrivate) throw new Error("expected the account to become private");
}

/**
 * Starts recording a client's pushes; `of(event)` first makes a round trip on the same socket (a ping), so that
 * anything the server emitted to it before has arrived, then answers what was received.
 */
export function inbox(client: TelegraphClient): { of(event: string): Promise<unknown[]> } {
  const recorded = record(client);
  return {
    async of(event) {
      await client.api.ping();
      return recorded.of(event);
    },
  };
}

/** The parts of a message that a refused call could change (delivery is the recipient device's business). */
export const messageState = (messages: readonly { id: string; context: { text: string | null }; edited_at: string | null; seen_at: string | null }[]) =>
  messages.map((m) => ({ id: m.id, text: m.context.text, edited_at: m.edited_at, seen_at: m.seen_at }));
