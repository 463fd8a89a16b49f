import { createECDH, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { importJWK, jwtVerify } from "jose";

const key = readFileSync(new URL("./tls/push-service.key", import.meta.url));
const cert = readFileSync(new URL("./tls/push-service.crt", import.meta.url));

/** An HTTPS agent that trusts the test push service's certificate (and nothing else). */
export const pushAgent = () => new Agent({ ca: cert });

/** A browser's side of a subscription: its own P-256 key pair and 16-byte auth secret, as `pushManager.subscribe` makes. */
export interface BrowserKeys {
  ecdh: ReturnType<typeof createECDH>;
  auth: Buffer;
  json: { p256dh: string; auth: string };
}

export function browserKeys(): BrowserKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, auth, json: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } };
}

export interface ReceivedPush {
  path: string;
  /** The decrypted payload, parsed as JSON. */
  payload: Record<string, unknown>;
  /** The VAPID public key from the Authorization header's `k=`. */
  vapidKey: string;
  jwt: { aud?: unknown; sub?: unknown; exp?: unknown };
  ttl: string | undefined;
}

/**
 * A push service of the test's own, on https://127.0.0.1: it checks each request's VAPID header (an ES256 JWT signed by
 * the key in `k=`, audience = this origin) and decrypts its aes128gcm body with the subscription's private key.
 * `answers` are the statuses of the next requests (then 201); a request that fails the checks is answered 400 and
 * recorded in `rejected`.
 */
export async function startPushService() {
  const received: ReceivedPush[] = [];
  const rejected: string[] = [];
  const requests: string[] = [];
  const answers: number[] = [];
  const subscribers = new Map<string, BrowserKeys>();
  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      requests.push(path);
      check(path, req.headers, Buffer.concat(chunks))
        .then((push) => {
          const status = answers.shift() ?? 201;
          if (status < 300) received.push(push);
          res.writeHead(status).end();
        })
        .catch((err: unknown) => {
          rejected.push(err instanceof Error ? err.message : String(err));
          res.writeHead(400).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function check(path: string, headers: Record<string, string | string[] | undefined>, body: Buffer): Promise<ReceivedPush> {
    const match = /^vapid t=([^,]+), k=(.+)$/.exec(String(headers["authorization"] ?? ""));
    if (!match) throw new Error(`no VAPID authorization: ${String(headers["authorization"])}`);
    const [, token, k] = match as unknown as [string, string, string];
    const point = Buffer.from(k, "base64url");
    const publicKey = await importJWK(
      { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") },
      "ES256",
    );
    const { payload: jwt } = await jwtVerify(token, publicKey, { audience: origin, algorithms: ["ES256"] });
    if (headers["content-encoding"] !== "aes128gcm") throw new Error(`content-encoding ${String(headers["content-encoding"])}`);
    const browser = subscribers.get(path);
    if (!browser) throw new Error(`unknown subscription ${path}`);
    return { path, payload: JSON.parse(decrypt(body, browser)) as Record<string, unknown>, vapidKey: k, jwt, ttl: headers["ttl"] as string | undefined };
  }

  return {
    origin,
    received,
    rejected,
    requests,
    answers,
    /** A new subscription at this service: the endpoint and keys to register, and the browser's private side. */
    subscribe() {
      const path = `/send/${randomBytes(8).toString("hex")}`;
      const browser = browserKeys();
      subscribers.set(path, browser);
      return { endpoint: `${origin}${path}`, keys: browser.json, path };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** RFC 8291 (Web Push message encryption) over RFC 8188 (aes128gcm), one record, as a browser decrypts it. */
export function decrypt(body: Buffer, browser: BrowserKeys): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const serverKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = browser.ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), browser.ecdh.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // Padding: the content, then the last record's delimiter 0x02, then zeros.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end -= 1;
  if (plain[end] !== 2) throw new Error("no last-record delimiter");
  return plain.subarray(0, end).toString("utf8");
}
