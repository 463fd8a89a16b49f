import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { createGunzip, createGzip, type Gzip } from "node:zlib";

// A gzip'd ustar archive, written and read here (a few dozen lines) rather than through a dependency: backups only
// hold regular files with short names (database.sql, media/<sha256>, manifest.json).
const BLOCK = 512;

/** Writes entries one after another into `<file>` (gzip'd ustar); `close()` ends the archive and waits for the disk. */
export class TarWriter {
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;

  constructor(file: string) {
    this.gzip = createGzip();
    const out = createWriteStream(file, { mode: 0o600 });
    this.gzip.pipe(out);
    this.done = finished(out);
    // The promise is awaited in close(); until then a write error must not be an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Appends a regular file. */
  async add(name: string, data: Buffer): Promise<void> {
    await this.write(header(name, data.length));
    await this.write(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) await this.write(Buffer.alloc(pad));
  }

  async close(): Promise<void> {
    this.gzip.end(Buffer.alloc(BLOCK * 2));
    await this.done;
  }

  private async write(chunk: Buffer): Promise<void> {
    if (!this.gzip.write(chunk)) await Promise.race([once(this.gzip, "drain"), this.done]);
  }
}

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`archive entry name too long: ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, "utf8");
  h.write("0000600\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, "0") + "\0", 136);
  h.write("        ", 148); // the checksum is computed with its own field as spaces
  h.write("0", 156);
  h.write("ustar\u000000", 257);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

/** Thrown for an archive that is not gzip'd ustar or is cut short. */
export class ArchiveError extends Error {
  override name = "ArchiveError";
}

/** The regular files of `<file>` in order, each read whole (entries are at most one image or the dump). */
export async function* readTar(file: string): AsyncGenerator<{ name: string; data: Buffer }> {
  const input = createReadStream(file).pipe(createGunzip());
  const chunks: Buffer[] = [];
  let buffered = 0;
  const take = (n: number): Buffer => {
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    chunks.length = 0;
    if (all.length > n) chunks.push(all.subarray(n));
    buffered -= n;
    return all.subarray(0, n);
  };
  let want: { name: string; size: number } | undefined;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      buffered += chunk.length;
      for (;;) {
        if (!want) {
          if (buffered < BLOCK) break;
          const h = take(BLOCK);
          if (h.every((b) => b === 0)) return;
          want = parseHeader(h);
        }
        const padded = Math.ceil(want.size / BLOCK) * BLOCK;
        if (buffered < padded) break;
        const data = Buffer.from(take(padded).subarray(0, want.size));
        const entry = { name: want.name, data };
        want = undefined;
        yield entry;
      }
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(`not a readable backup archive (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    input.destroy();
  }
  throw new ArchiveError("the backup archive is cut short");
}

function parseHeader(h: Buffer): { name: string; size: number } {
  const stored = parseInt(h.toString("ascii", 148, 156).replace(/[\0 ]/g, ""), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  if (stored !== sum || h.toString("ascii", 257, 262) !== "ustar") throw new ArchiveError("not a backup archive (bad tar header)");
  const name = h.toString("utf8", 0, 100).replace(/\0.*$/s, "");
  const size = parseInt(h.toString("ascii", 124, 136).replace(/[\0 ]/g, ""), 8);
  return { name, size };
}
