import { randomBytes } from "node:crypto";

// MongoDB ObjectId layout: 4-byte seconds, 5 random bytes fixed per process, 3-byte counter. The 5 process bytes are
// what keeps ids of different nodes apart: every id this process makes carries them, so two nodes never collide.
const processRandom = randomBytes(5).toString("hex");
let counter = randomBytes(3).readUIntBE(0, 3);

export const ID_PATTERN = /^[0-9a-f]{24}$/;

const MAX_SECONDS = 0xffffffff;

function nextCount(): string {
  counter = (counter + 1) % 0x1000000;
  return counter.toString(16).padStart(6, "0");
}

function seconds(value: number): string {
  return Math.min(MAX_SECONDS, value).toString(16).padStart(8, "0");
}

/** A new 24-character lowercase hex id, time-ordered like a MongoDB ObjectId. */
export function newId(now: number = Date.now()): string {
  return seconds(Math.floor(now / 1000)) + processRandom + nextCount();
}

/** The creation time encoded in an id (second precision). */
export function idTime(id: string): Date {
  return new Date(parseInt(id.slice(0, 8), 16) * 1000);
}

/**
 * An id of this process greater than `after` (keeps ids increasing in commit order within a conversation, whichever
 * node wrote the one before). `candidate` is taken when it is already greater. Otherwise the id keeps `after`'s second
 * when this process's bytes sort above `after`'s, else takes the next second — never `after` + 1, which is the id the
 * other node's counter makes next.
 */
export function idAfter(after: string | null | undefined, candidate: string): string {
  if (!after || candidate > after) return candidate;
  const afterSeconds = parseInt(after.slice(0, 8), 16);
  const sameSecond = seconds(afterSeconds) + processRandom + nextCount();
  if (sameSecond > after) return sameSecond;
  return seconds(afterSeconds + 1) + processRandom + nextCount();
}

/** The first 8 hex characters of an id made now (its seconds). */
export function idSeconds(now: number = Date.now()): string {
  return seconds(Math.floor(now / 1000));
}

/**
 * `count` id tails (this process's bytes and counter: an id without its seconds), increasing: the counter wraps, if
 * it must, before the first rather than among them.
 */
export function idTails(count: number): string[] {
  if (counter + count >= 0x1000000) counter = -1;
  return Array.from({ length: count }, () => processRandom + nextCount());
}
