import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { errorCodes } from "../../shared/errors.ts";
import { Text } from "../../shared/schema.ts";

/** Connection-level events every client needs whatever features it uses. */
export const systemEvents = {
  ping: clientEvent({
    summary: "Round-trip check: answers with the server time and echoes `echo`.",
    args: z.union([z.tuple([]), z.tuple([z.strictObject({ echo: Text(200).optional() }).describe("options")])]),
    data: z.object({ echo: z.string().nullable(), server_time: z.iso.datetime() }),
    reply: "pong",
    rate: "default",
    errors: [],
    example: { args: [{ echo: "hello" }], data: { echo: "hello", server_time: "2026-11-25T12:00:00.000Z" } },
    async handler(_ctx, input) {
      return { echo: input[0]?.echo ?? null, server_time: new Date().toISOString() };
    },
  }),
};

export const systemPushes = {
  errorFromServer: serverEvent({
    summary:
      "The failure of an event sent without an acknowledgement (with one, the acknowledgement carries the error). Also answers unknown events.",
    payload: z.object({ event: z.string(), code: z.enum(errorCodes), message: z.string() }),
    example: { event: "ping", code: "invalid_input", message: "0.echo: Too big: expected string to have <=200 characters" },
  }),
  disconnectFromServer: serverEvent({
    summary:
      "Sent just before the server closes this connection on purpose: `rate_limited` (refused without a break for ABUSE_DISCONNECT_AFTER), `too_many_sockets` (the account opened more than MAX_SOCKETS_PER_USER connections; the oldest are closed), `account_suspended` (a moderator suspended the account; every device of it is dropped). Do not reconnect at once.",
    payload: z.object({ code: z.enum(["rate_limited", "too_many_sockets", "account_suspended"]), message: z.string() }),
    example: { code: "too_many_sockets", message: "More than 10 connections of this account: the oldest is closed." },
  }),
};
