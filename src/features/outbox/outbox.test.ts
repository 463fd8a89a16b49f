import { afterEach, describe, expect, it } from "vitest";
import { closeAll, newRegistration, settle, waitFor } from "../../../test/helpers/factories.ts";
import { post } from "../../../test/helpers/http.ts";
import { startServer, testClock, type TestServer } from "../../../test/helpers/server.ts";
import { startSmtp, tokenFrom } from "../../../test/helpers/smtp.ts";
import { createLogger } from "../../logger.ts";
import { Metrics } from "../../metrics.ts";
import { newId } from "../../shared/ids.ts";
import * as repo from "./repo.ts";
import { OutboxWorker } from "./worker.ts";

const fast = { EMAIL_CONFIRMATION: "required", OUTBOX_POLL_MS: "50", OUTBOX_BACKOFF_BASE_MS: "100", OUTBOX_BACKOFF_MAX: "1s" };

/** A port where no SMTP server listens (one was there a moment ago): the mail server is down. */
async function freedPort(): Promise<number> {
  const smtp = await startSmtp();
  await smtp.close();
  return Number(new URL(smtp.url).port);
}

async function metricsText(server: TestServer): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

const jobCount = async (server: TestServer) => (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs"))[0]!.n;

describe("the outbox", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await closeAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const track = <T extends { stop?: () => Promise<void>; close?: () => Promise<void> }>(thing: T): T => {
    cleanups.push(() => (thing.stop ?? thing.close)!.call(thing));
    return thing;
  };

  it("registers and resets a password while SMTP is down, and sends both mails once it is back", async () => {
    const port = await freedPort();
    const server = track(await startServer({ env: { ...fast, OUTBOX_MAX_ATTEMPTS: "100", SMTP_URL: `smtp://127.0.0.1:${port}` } }));
    const reg = newRegistration();
    const created = await post(server.url, "/register", reg);
    expect(created).toMatchObject({ status: 201, body: { response: "user_created" } });
    const users = await server.db.query("SELECT 1 FROM users WHERE id = $1", [created.body["user_id"]]);
    expect(users).toHaveLength(1);
    expect(await post(server.url, "/reset_password", { email: reg.email })).toMatchObject({ status: 202 });

    // Both mails wait in the queue, failing: the metrics say so.
    expect(await waitFor(async () => /telegraph_outbox_failures_total\{kind="mail"\} [2-9]/.test(await metricsText(server)), 5000)).toBe(true);
    expect(await metricsText(server)).toContain('telegraph_outbox_depth{kind="mail"} 2');
    const failed = await server.db.query<{ last_error: string | null }>("SELECT last_error FROM jobs");
    expect(failed.map((j) => j.last_error)).toEqual([expect.stringMatching(/ECONNREFUSED|connect/i), expect.any(String)]);

    const smtp = track(await startSmtp({ port }));
    const mails = [await smtp.next(), await smtp.next()];
    expect(mails.map((m) => m.to[0])).toEqual([reg.email, reg.email]);
    const confirm = mails.find((m) => /Confirm/.test(m.subject))!;
    const reset = mails.find((m) => /Reset/.test(m.subject))!;
    expect((await post(server.url, "/confirm_email", { token: tokenFrom(confirm) })).status).toBe(200);
    expect((await post(server.url, "/change_password", { token: tokenFrom(reset), password: "after the outage" })).status).toBe(200);
    expect((await post(server.url, "/login", { username: reg.username, password: "after the outage" })).status).toBe(200);

    await settle(300);
    expect(smtp.mails).toHaveLength(0);
    expect(await jobCount(server)).toBe(0);
    expect(await metricsText(server)).toContain('telegraph_outbox_depth{kind="mail"} 0');
    expect(await metricsText(server)).toContain('telegraph_outbox_sent_total{kind="mail"} 2');
  });

  it("retries a job whose worker died mid-send once its lease runs out, and sends it exactly once", async () => {
    const smtp = track(await startSmtp());
    const clock = testClock();
    // A long poll: this node's worker runs only when woken, so the test decides who claims first.
    const server = track(await startServer({ clock, env: { ...fast, OUTBOX_POLL_MS: "60000", OUTBOX_LEASE: "60s", SMTP_URL: smtp.url } }));
    const orphan = { to: "orphan@example.com", subject: "Orphaned", text: "Sent once, by the second worker." };
    await repo.insertJob(server.db, { id: newId(), kind: "mail", payload: orphan, runAt: new Date(clock.now()) });

    // Another node claims it, starts sending and never finishes (it was killed).
    let attempts = 0;
    const dying = new OutboxWorker({
      db: server.db,
      clock,
      log: createLogger("silent"),
      metrics: new Metrics({ sockets: () => 0 }),
      settings: { pollMs: 60_000, maxAttempts: 8, backoffBaseMs: 100, backoffMaxMs: 1000, leaseMs: 60_000, batchSize: 10 },
      handlers: { mail: () => ((attempts += 1), new Promise<void>(() => undefined)), push: async () => undefined },
    });
    void dying.poll();
    expect(await waitFor(async () => attempts === 1, 2000, 10)).toBe(true);

    // Within the lease, this node's worker leaves it alone (a registration wakes it).
    const first = newRegistration();
    await post(server.url, "/register", first);
    expect((await smtp.next()).to).toEqual([first.email]);
    await settle(200);
    expect(smtp.mails).toHaveLength(0);

    // Past the lease it is due again, and the next poll sends it.
    clock.advance(61_000);
    const second = newRegistration();
    await post(server.url, "/register", second);
    const sent = [await smtp.next(), await smtp.next()].map((m) => m.to[0]).sort();
    expect(sent).toEqual([orphan.to, second.email].sort());
    await settle(300);
    expect(smtp.mails).toHaveLength(0);
    expect(await jobCount(server)).toBe(0);
  });

  it("never gives one job to two workers polling at once (FOR UPDATE SKIP LOCKED)", async () => {
    const server = track(await startServer({ env: { OUTBOX_POLL_MS: "60000" } }));
    await settle(300); // the node's own worker has made its first poll and sleeps for a minute
    const ids = Array.from({ length: 30 }, () => newId());
    for (const id of ids) await repo.insertJob(server.db, { id, kind: "mail", payload: { to: `${id}@example.com`, subject: "s", text: "t" }, runAt: new Date() });
    const sent: string[] = [];
    const worker = () =>
      new OutboxWorker({
        db: server.db,
        clock: { now: () => Date.now() },
        log: createLogger("silent"),
        metrics: new Metrics({ sockets: () => 0 }),
        settings: { pollMs: 60_000, maxAttempts: 8, backoffBaseMs: 100, backoffMaxMs: 1000, leaseMs: 60_000, batchSize: 4 },
        handlers: { mail: async (mail) => void sent.push(mail.to), push: async () => undefined },
      });
    const workers = [worker(), worker(), worker()];
    while ((await Promise.all(workers.map((w) => w.poll()))).some((n) => n > 0));
    expect(sent.sort()).toEqual(ids.map((id) => `${id}@example.com`).sort());
    expect(await jobCount(server)).toBe(0);
  });

  it("drops a job that always fails after OUTBOX_MAX_ATTEMPTS, counting each failure in /metrics", async () => {
    const port = await freedPort();
    const server = track(await startServer({ env: { ...fast, OUTBOX_MAX_ATTEMPTS: "3", SMTP_URL: `smtp://127.0.0.1:${port}` } }));
    expect((await post(server.url, "/register", newRegistration())).status).toBe(201);
    expect(await waitFor(async () => (await jobCount(server)) === 0, 5000, 50)).toBe(true);
    const text = await metricsText(server);
    expect(text).toContain('telegraph_outbox_failures_total{kind="mail"} 3');
    expect(text).toContain('telegraph_outbox_dropped_total{kind="mail"} 1');
    expect(text).toContain('telegraph_outbox_depth{kind="mail"} 0');
  });
});
