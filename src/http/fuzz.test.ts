import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { arbitraryFor, awkwardStrings, idArbitrary, junk, type FuzzPool } from "../../test/helpers/arbitraries.ts";
import { closeAll, connectAs, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { makeImage } from "../../test/helpers/images.ts";
import { startServer, type TestServer } from "../../test/helpers/server.ts";
import { errorCodes } from "../shared/errors.ts";
import type { RouteDef } from "./route.ts";
import { httpRoutes } from "./routes.ts";

// FUZZ_SEED replays a failing run (the failure message prints the seed); FUZZ_RUNS scales it (batches of BATCH requests).
const seed = process.env["FUZZ_SEED"] ? Number(process.env["FUZZ_SEED"]) : Date.now() ^ (Math.random() * 0x7fffffff);
const RUNS = Number(process.env["FUZZ_HTTP_RUNS"] ?? 100);
const BATCH = 25;

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const BODY_LIMIT = 64 * 1024;
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] as const;
/** What a header can carry on the wire: visible ASCII and tabs. */
const headerText = fc.string({ unit: "binary-ascii", maxLength: 80 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ""));

async function replayable<T>(details: fc.RunDetails<T>): Promise<void> {
  if (!details.failed) return;
  throw new Error(`HTTP fuzzing failed; replay with FUZZ_SEED=${details.seed} (path ${details.counterexamplePath}): ${String(details.errorInstance)}`);
}

const show = (request: Request) =>
  `${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 300)} ${
    typeof request.payload === "string" ? JSON.stringify(request.payload.slice(0, 300)) : request.payload ? `[${request.payload.length} bytes]` : ""
  }`;

/** Percent-encodes; a lone surrogate (which cannot be encoded) becomes the invalid UTF-8 it would be on the wire. */
const encode = (text: string, encoder: (s: string) => string = encodeURIComponent): string => {
  try {
    return encoder(text);
  } catch {
    return "%ED%A0%80";
  }
};

/** JSON.stringify that survives what `junk` makes (functions, typed arrays, undefined). */
const toJson = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === "function" ? null : v)) ?? "null";

describe("HTTP fuzzing: no request breaks the server", () => {
  let server: TestServer;
  let user: TestUser;
  let pool: FuzzPool;
  let signedMediaUrl: string;

  beforeAll(async () => {
    server = await startServer();
    user = await createUser(server);
    const other = await createUser(server);
    const png = await makeImage("png", 8, 6);
    const client = await connectAs(server, other);
    const tweet = await client.api.addNewTweet({ context: "with an image", image: png });
    signedMediaUrl = tweet.image!.url;
    pool = {
      ids: { users: [user.userId, other.userId], tweets: [tweet.id], comments: [], messages: [], stories: [tweet.image!.id] },
      images: [png],
    };
    client.close();
  });

  afterAll(async () => {
    closeAll();
    await server?.stop();
  });

  /** A request for one route: its own method and path mostly, with a body, query and headers shaped by its schemas or not. */
  const requestFor = (route: RouteDef): fc.Arbitrary<Request> => {
    const path = fc.oneof(
      { weight: 4, arbitrary: idArbitrary(pool, "story") },
      { weight: 1, arbitrary: fc.constantFrom(...awkwardStrings, "..%2F..%2Fetc%2Fpasswd", "x".repeat(3000)) },
    ).map((id) => route.url.replace(":id", encode(id)));
    const schemaQuery = route.query
      ? arbitraryFor(route.query, pool).map((q) => new URLSearchParams(Object.entries(q as object).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString())
      : fc.constant("");
    const query = fc.oneof(
      { weight: 4, arbitrary: schemaQuery },
      { weight: 1, arbitrary: fc.constantFrom("token=a&token=b", "token[a]=1", "exp=1e400&sig=x", "exp=-1&sig=", "%zz", "a=%00", signedMediaUrl.split("?")[1] ?? "") },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((q) => encode(q, encodeURI)) },
    );
    const json = route.body ? arbitraryFor(route.body, pool).map(toJson) : fc.constant("{}");
    const body = fc.oneof(
      { weight: 6, arbitrary: json.map((payload) => ({ type: "application/json", payload })) },
      { weight: 2, arbitrary: junk.map((value) => ({ type: "application/json", payload: toJson(value) })) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          { type: "application/json", payload: "{" },
          { type: "application/json", payload: '{"__proto__":{"admin":true}}' },
          { type: "application/json", payload: '{"constructor":{"prototype":{"admin":true}}}' },
          { type: "application/json", payload: "" },
          { type: "application/json", payload: "null" },
          { type: "application/json; charset=latin1", payload: '{"a":1}' },
          { type: "application/json", payload: `{"a":"${"x".repeat(BODY_LIMIT)}"}` },
          { type: "application/json", payload: "[".repeat(5000) + "]".repeat(5000) },
          { type: "text/plain", payload: "hello" },
          { type: "application/x-www-form-urlencoded", payload: "username=a&password=b" },
          { type: "multipart/form-data; boundary=x", payload: "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--" },
          { type: "application/octet-stream", payload: "\u0000\u0001" },
          { type: "", payload: "{}" },
          { type: "application/json", payload: "\uFEFF{}" },
        ),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => ({ type: "application/json", payload: Buffer.from(bytes) as string | Buffer })) },
    );
    const headers = fc.record(
      {
        authorization: fc.oneof(
          fc.constant(`Bearer ${user.accessToken}`),
          headerText.map((t) => `Bearer ${t}`),
          fc.constantFrom("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", `Bearer ${user.refreshToken}`, `bearer ${user.accessToken}`),
        ),
        "if-none-match": headerText,
        "x-forwarded-for": headerText,
        "content-encoding": fc.constantFrom("gzip", "br", "identity", "x"),
        accept: fc.constantFrom("application/json", "text/html", "*/*", ""),
      },
      { requiredKeys: [] },
    );
    return fc
      .record({
        method: fc.oneof({ weight: 8, arbitrary: fc.constant(route.method as string) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
        url: fc.tuple(path, query).map(([p, q]) => (q ? `${p}?${q}` : p)),
        headers,
        body: fc.option(body, { freq: 8 }),
      })
      .map(({ method, url, headers: h, body: b }) => {
        const sendsBody = b !== null && method !== "GET" && method !== "HEAD";
        return {
          method,
          url,
          headers: { ...h, ...(sendsBody && b.type ? { "content-type": b.type } : {}) },
          ...(sendsBody ? { payload: b.payload } : {}),
        };
      });
  };

  /** The answer a row declares for a status, when it gave it a schema (the founding shapes such as `{ response }`). */
  const declared = (request: Request, status: number): z.ZodType | undefined => {
    const path = request.url.split("?")[0]!;
    const route = httpRoutes.find((r) => r.method === request.method && new RegExp(`^${r.url.replace(":id", "[^/]+")}$`).test(path));
    return route?.responses[status]?.schema;
  };

  it(`answers ${RUNS * BATCH} generated requests to every route without a 500, errors always as JSON`, { timeout: 120_000 }, async () => {
    const routes = [...httpRoutes, { method: "GET", url: "/metrics" } as RouteDef, { method: "POST", url: "/no/such/route" } as RouteDef];
    const request = fc.oneof(...routes.map(requestFor));
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (requests) => {
        await Promise.all(
          requests.map(async (r) => {
            sent++;
            const response = await server.app.http.inject({ method: r.method as (typeof METHODS)[number], url: r.url, headers: r.headers, ...(r.payload !== undefined ? { payload: r.payload } : {}) });
            if (response.statusCode >= 500) throw new Error(`${response.statusCode} for ${show(r)}: ${response.body.slice(0, 300)}`);
            if (response.statusCode < 400 || r.method === "HEAD") return;
            let body: unknown;
            try {
              body = JSON.parse(response.body);
            } catch {
              throw new Error(`${response.statusCode} without a JSON body for ${show(r)}: ${response.body.slice(0, 300)}`);
            }
            const error = body as { code?: unknown; message?: unknown };
            const isError = errorCodes.includes(error.code as never) && typeof error.message === "string";
            if (!isError && !declared(r, response.statusCode)?.safeParse(body).success) {
              throw new Error(`${response.statusCode} neither { code, message } nor a declared answer for ${show(r)}: ${response.body.slice(0, 300)}`);
            }
          }),
        );
      }),
      { seed, numRuns: RUNS, endOnFailure: true, asyncReporter: replayable },
    );
    expect(sent).toBe(RUNS * BATCH);
    // And over a real socket, after all of it.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
