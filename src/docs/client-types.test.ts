import { describe, expect, it } from "vitest";
import type * as Client from "telegraph-client";
import { errorCodes as clientErrorCodes, protocolVersion } from "telegraph-client";
import type * as Server from "../realtime/protocol.ts";
import { clientEventTable, serverPushTable } from "../realtime/protocol.ts";
import { errorCodes, type ErrorCode } from "../shared/errors.ts";
import { buildClientProtocol } from "./client-protocol.ts";
import { PROTOCOL_VERSION } from "./version.ts";

// Compile-time checks (`npm run typecheck`): the client's generated types and the server's zod-derived ones accept
// the same values, both ways, event by event. A mismatch names the events in the error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched<T> = { [K in keyof T]: T[K] extends true ? never : K }[keyof T];
type Check<M> = [M] extends [never] ? "ok" : { mismatched: M };

type Accepts<Wide, Narrow> = [Narrow] extends [Wide] ? true : false;
/**
 * Events whose input goes through `z.preprocess` (blank text or a null image read as absent): zod types that input as
 * `unknown`, while the JSON Schema, and so the client, says what is meant. There the client's type must only be one
 * the server's accepts.
 */
type Preprocessed = "newMessageFromClient" | "newGroupMessageFromClient";
type ArgsMatch = {
  [K in Server.ClientEventName]: K extends Client.ClientEventName
    ? K extends Preprocessed
      ? Accepts<Server.ClientArgs<K>, Client.ClientArgs<K>>
      : Same<Server.ClientArgs<K>, Client.ClientArgs<K>>
    : false;
};
type DataMatch = { [K in Server.ClientEventName]: K extends Client.ClientEventName ? Same<Server.ClientData<K>, Client.ClientData<K>> : false };
type PayloadMatch = {
  [K in keyof Server.ServerPayloads]: K extends keyof Client.ServerPayloads ? Same<Server.ServerPayloads[K], Client.ServerPayloads[K]> : false;
};
const checks: [Check<Mismatched<ArgsMatch>>, Check<Mismatched<DataMatch>>, Check<Mismatched<PayloadMatch>>] = ["ok", "ok", "ok"];
const sameNames: [
  Same<Server.ClientEventName, Client.ClientEventName>,
  Same<keyof Server.ServerPayloads, keyof Client.ServerPayloads>,
  Same<ErrorCode, Client.ErrorCode>,
] = [true, true, true];

describe("the typed client's generated protocol types", () => {
  it("hold the same types as the server's declarations (checked by the compiler)", () => {
    expect(checks).toEqual(["ok", "ok", "ok"]);
    expect(sameNames).toEqual([true, true, true]);
  });

  it("list every event, push and error code the server declares", () => {
    const generated = buildClientProtocol();
    for (const name of [...Object.keys(clientEventTable), ...Object.keys(serverPushTable)]) {
      expect(generated, name).toMatch(new RegExp(`^  ${name}: `, "m"));
    }
    expect([...clientErrorCodes]).toEqual(errorCodes);
    expect(protocolVersion).toBe(PROTOCOL_VERSION);
  });
});
