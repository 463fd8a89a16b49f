import type { Redis } from "ioredis";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateSpec } from "../../config.ts";
import type { Db } from "../../db/db.ts";
import { limiter } from "../../realtime/rate-limit.ts";
import type { MediaService } from "../media/service.ts";
import type { MessagesService } from "../messages/service.ts";
import type { GraphService } from "../people/graph-service.ts";
import type { PeopleService } from "../people/service.ts";
import type { StoriesService } from "../stories/service.ts";
import type { TweetsService } from "../tweets/service.ts";
import type { Clock } from "../../shared/clock.ts";
import * as repo from "./lifecycle-repo.ts";

/** The export's format: the first line names it, so a reader can tell versions apart. */
export const EXPORT_FORMAT = { format: "telegraph-account-export", version: 1 } as const;

/** Rows per database page: the export holds one page at a time (and the ids of the images it will append). */
export const EXPORT_PAGE = 200;

/** What the export reads, each through its feature's service. */
export interface ExportSources {
  db: Db;
  clock: Clock;
  people: Pick<PeopleService, "getProfile">;
  tweets: Pick<TweetsService, "ownPage" | "ownLikes" | "ownComments">;
  stories: Pick<StoriesService, "ownLive">;
  graph: Pick<GraphService, "ownList">;
  messages: Pick<MessagesService, "partners" | "history">;
  media: Pick<MediaService, "readBytes">;
}

const line = (item: Record<string, unknown>) => `${JSON.stringify(item)}\n`;

/** Walks a keyset-paged source to its end, one page in memory at a time. */
async function* pages<T>(read: (cursor: string | null) => Promise<T[]>, cursorOf: (item: T) => string): AsyncGenerator<T> {
  let cursor: string | null = null;
  for (;;) {
    const page = await read(cursor);
    yield* page;
    if (page.length < EXPORT_PAGE) return;
    cursor = cursorOf(page.at(-1)!);
  }
}

/**
 * `GET /account/export` as JSON lines: a header line, then the profile, tweets, comments, likes, live stories,
 * followers, following, blocks, the direct messages with each partner (sent and received), and last every image
 * they refer to (base64), then an `end` line with the counts. Pulled by the response stream, page by page.
 */
export async function* exportLines(sources: ExportSources, userId: string): AsyncGenerator<string> {
  const { clock, tweets, graph, messages } = sources;
  const account = await repo.findAccountForExport(sources.db, userId);
  if (!account) return;
  const counts: Record<string, number> = {};
  const images = new Set<string>();
  const item = (type: string, data: Record<string, unknown>) => {
    counts[type] = (counts[type] ?? 0) + 1;
    return line({ type, ...data });
  };
  yield line({ type: "export", ...EXPORT_FORMAT, user_id: userId, exported_at: new Date(clock.now()).toISOString() });

  const profile = await sources.people.getProfile(userId, userId);
  if (account.photo_id) images.add(account.photo_id);
  yield item("profile", {
    ...profile,
    email: account.email,
    phone: account.phone,
    photo_id: account.photo_id,
    registered_at: account.registered_at.toISOString(),
  });

  for await (const tweet of pages((c) => tweets.ownPage(userId, c ?? undefined, EXPORT_PAGE), (t) => t.id)) {
    if (tweet.image) images.add(tweet.image.id);
    yield item("tweet", tweet);
  }
  for await (const comment of pages((c) => tweets.ownComments(userId, c, EXPORT_PAGE), (x) => x.id)) yield item("comment", comment);
  for await (const like of pages((c) => tweets.ownLikes(userId, c, EXPORT_PAGE), (l) => l.tweet_id)) yield item("like", like);
  for (const story of await sources.stories.ownLive(userId)) {
    images.add(story.image_id);
    yield item("story", story);
  }
  for (const list of ["followers", "following", "blocked"] as const) {
    const type = { followers: "follower", following: "following", blocked: "block" }[list];
    for await (const person of pages((c) => graph.ownList(userId, list, c, EXPORT_PAGE), (p) => p.user_id)) yield item(type, person);
  }
  for await (const partner of pages((c) => messages.partners(userId, c, EXPORT_PAGE), (p) => p)) {
    const history = (before: string | null) => messages.history(userId, partner, { ...(before ? { before } : {}), limit: EXPORT_PAGE });
    for await (const message of pages(history, (m) => m.id)) {
      if (message.context.image) images.add(message.context.image.id);
      yield item("message", { with: partner, ...message });
    }
  }
  for (const id of images) {
    const media = await sources.media.readBytes(id);
    if (media) yield item("image", { id, content_type: media.type, data: media.bytes.toString("base64") });
  }
  yield line({ type: "end", counts });
}

/** The export with its rate limit (per user; in Redis when clustered, so the budget holds across nodes). */
export class AccountExportService {
  private readonly limit: RateLimiterAbstract;

  constructor(private readonly sources: ExportSources & { spec: RateSpec; redis?: { redis: Redis; prefix: string } | undefined }) {
    this.limit = limiter(sources.spec, sources.redis && { ...sources.redis, prefix: `${sources.redis.prefix}:rl:account-export` });
  }

  /** Counts an export of the user; returns the seconds to wait when over ACCOUNT_EXPORT_RATE_LIMIT, else 0. */
  async admit(userId: string): Promise<number> {
    try {
      await this.limit.consume(userId);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw res;
    }
  }

  /** The export's lines, read from the database as the consumer pulls them. */
  lines(userId: string): AsyncGenerator<string> {
    return exportLines(this.sources, userId);
  }
}
