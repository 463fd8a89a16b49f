import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientEventName, TelegraphClient } from "telegraph-client";
import { clientEventTable } from "../../src/realtime/protocol.ts";
import { closeAll } from "../helpers/factories.ts";
import { startServer, testClock, type TestServer } from "../helpers/server.ts";
import { authorizationMatrix, isSelfOnly, type Case, type GuardedRow, type MatrixRow } from "./matrix.ts";
import { STORY_TTL_SECONDS, World } from "./world.ts";

// Codes any event may answer with, beyond those its row declares.
const COMMON_CODES = ["invalid_input", "unauthenticated", "rate_limited", "internal", "unavailable"];

const rows = Object.entries(authorizationMatrix) as [ClientEventName, MatrixRow<ClientEventName>][];
const guarded = rows.filter((entry): entry is [ClientEventName, GuardedRow<ClientEventName>] => !isSelfOnly(entry[1]));

type Outcome = { ok: true; data: unknown } | { ok: false; code: string };

async function call(actor: TelegraphClient, event: string, args: readonly unknown[]): Promise<Outcome> {
  try {
    return { ok: true, data: await actor.request(event, [...args]) };
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code ?? String(err) };
  }
}

/** Objects and arrays are matched by the fields declared; anything else (null) exactly. */
function matches(actual: unknown, declared: unknown): void {
  if (typeof declared === "object" && declared !== null) expect(actual).toMatchObject(declared);
  else expect(actual).toEqual(declared);
}

/** Runs a case: the read-back before, the call, the read-back after. */
async function run(event: string, c: Case<ClientEventName>) {
  const before = await c.readBack();
  const outcome = await call(c.actor, event, c.args);
  const after = await c.readBack();
  return { before, outcome, after };
}

describe("the authorization matrix covers the protocol", () => {
  it("has a row for every event of the protocol table", () => {
    const missing = Object.keys(clientEventTable).filter((event) => !Object.hasOwn(authorizationMatrix, event));
    expect(missing).toEqual([]);
  });

  it("has no row for an event the protocol does not declare", () => {
    const unknown = Object.keys(authorizationMatrix).filter((event) => !Object.hasOwn(clientEventTable, event));
    expect(unknown).toEqual([]);
  });

  it("gives every self-only event a reason, and every guarded event at least one refusal", () => {
    for (const [event, row] of rows) {
      if (isSelfOnly(row)) expect(row.selfOnly.length, event).toBeGreaterThan(10);
      else expect(row.scenarios.length, event).toBeGreaterThan(0);
    }
  });

  it("expects only error codes the event declares", () => {
    for (const [event, row] of guarded) {
      const declared = [...clientEventTable[event]!.errors, ...COMMON_CODES];
      for (const s of row.scenarios) if (s.expect !== "neutral") expect(declared, `${event} × ${s.relation}`).toContain(s.expect);
    }
  });

  it("declares each relation at most once per event", () => {
    for (const [event, row] of guarded) {
      const relations = row.scenarios.map((s) => s.relation);
      expect(new Set(relations).size, event).toBe(relations.length);
    }
  });
});

type ScenarioOf = GuardedRow<ClientEventName>["scenarios"][number];
const refusals = guarded.flatMap(([event, row]) => row.scenarios.map((s) => [event, s.relation, s.expect, s] as const));
// Expiring moves the server's clock, so those cases run on their own, after the others.
const byClock = (s: ScenarioOf) => s.relation === "expired_story";

describe("every refusal, through a real server", () => {
  let server: TestServer;
  let world: World;
  const clock = testClock();
  beforeAll(async () => {
    server = await startServer({
      clock,
      env: {
        STORY_TTL: String(STORY_TTL_SECONDS),
        STORY_SWEEP_INTERVAL: "24h",
        EVENT_RATE_LIMIT: "100000/10",
        EVENT_RATE_LIMIT_WRITE: "100000/10",
      },
    });
    world = new World(server, clock);
  });
  // Not after each case: the cases run concurrently, each with people of its own.
  afterAll(async () => {
    closeAll();
    await server.stop();
  });

  async function refused(event: ClientEventName, expected: string, scenario: ScenarioOf): Promise<void> {
    const c = await scenario.setup(world);
    const { before, outcome, after } = await run(event, c);
    if (expected === "neutral") {
      expect(outcome).toMatchObject({ ok: true });
      expect(c.data, "a neutral refusal declares its answer").toBeDefined();
      matches((outcome as { data: unknown }).data, c.data);
    } else {
      expect(outcome).toEqual({ ok: false, code: expected });
    }
    expect(after).toEqual(before);
  }

  describe.concurrent("refused, and nothing changes", () => {
    it.each(refusals.filter(([, , , s]) => !byClock(s)))("%s × %s → %s", (event, _relation, expected, scenario) =>
      refused(event, expected, scenario),
    );
  });

  describe.concurrent("allowed: succeeds, and the read-back sees any change", () => {
    it.each(guarded)("%s", async (event, row) => {
      const c = await row.allowed.setup(world);
      const { before, outcome, after } = await run(event, c);
      expect(outcome).toMatchObject({ ok: true });
      if (c.data !== undefined) matches((outcome as { data: unknown }).data, c.data);
      if (row.allowed.changes) expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    });
  });

  describe("refused once a story expired (the clock moves)", () => {
    it.each(refusals.filter(([, , , s]) => byClock(s)))("%s × %s → %s", (event, _relation, expected, scenario) =>
      refused(event, expected, scenario),
    );
  });
});
