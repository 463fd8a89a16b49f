import { randomBytes } from "node:crypto";

// MongoDB ObjectId layout: 4-byte seconds, 5 random bytes fixed per process, 3-byte counter.
const processRandom = randomBytes(5).toString("hex");
let counter = randomBytes(3).readUIntBE(0, 3);

export const ID_PATTERN = /^[0-9a-f]{24}$/;

/** A new 24-character lowercase hex id, time-ordered like a MongoDB ObjectId. */
export function newId(now: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, "0");
  return seconds + processRandom + counter.toString(16).padStart(6, "0");
}

/** The creation time encoded in an id (second precision). */
export function idTime(id: string): Date {
  return new Date(parseInt(id.slice(0, 8), 16) * 1000);
}

/** The smallest id greater than both `candidate` and `after`: keeps ids increasing in commit order within a conversation. */
export function idAfter(after: string | null | undefined, candidate: string): string {
  if (!after || candidate > after) return candidate;
  return (BigInt(`0x${after}`) + 1n).toString(16).padStart(24, "0");
}
