import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed media URLs, for clients that cannot send an Authorization header (an <img> tag). The expiry is aligned to
 * windows of `ttlSeconds`, so the same image gets the same URL for a while and caches keep working.
 */
export class MediaLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {
    this.key = createHash("sha256").update(`telegraph media urls:${secret}`).digest();
  }

  /** `/media/<id>?exp=…&sig=…`, valid for one to two windows from now. */
  url(mediaId: string): string {
    const window = this.ttlSeconds;
    const exp = (Math.floor(this.now() / 1000 / window) + 2) * window;
    return `/media/${mediaId}?exp=${exp}&sig=${this.sign(mediaId, exp)}`;
  }

  /** True when sig was made by this server for this id and exp, and exp has not passed. */
  verify(mediaId: string, exp: number, sig: string): boolean {
    if (exp * 1000 <= this.now()) return false;
    const expected = Buffer.from(this.sign(mediaId, exp));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(mediaId: string, exp: number): string {
    return createHmac("sha256", this.key).update(`${mediaId}.${exp}`).digest("base64url").slice(0, 32);
  }
}
