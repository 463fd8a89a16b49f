import { clientEventTable, serverPushTable } from "../realtime/protocol.ts";
import { errorTable } from "../shared/errors.ts";
import { jsonSchema } from "./json-schema.ts";
import { PROTOCOL_VERSION } from "./version.ts";

const channelRef = { $ref: "#/channels/socket" };
const messageRef = (name: string) => ({ $ref: `#/channels/socket/messages/${name}` });

/** The AsyncAPI 3.0 document of the Socket.IO protocol, derived from the event declarations. */
export function buildAsyncApi(): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};

  for (const [name, def] of Object.entries(clientEventTable)) {
    messages[name] = {
      name,
      summary: def.summary,
      description: "The payload is the event's argument list; an acknowledgement callback may follow it.",
      payload: jsonSchema(def.args, "input"),
      examples: [{ payload: def.example.args }],
    };
    const replyMessage = `${name}.reply`;
    messages[replyMessage] = {
      name: def.reply ?? replyMessage,
      summary: def.reply
        ? `Reply to ${name}: \`data\`, emitted as "${def.reply}" or carried by the acknowledgement.`
        : `Reply to ${name}: \`data\`, carried by the acknowledgement only.`,
      payload: jsonSchema(def.data, "output"),
      examples: [{ payload: def.example.data }],
    };
    operations[name] = {
      action: "receive",
      channel: channelRef,
      summary: def.summary,
      messages: [messageRef(name)],
      reply: { channel: channelRef, messages: [messageRef(replyMessage)] },
      "x-rate-limit-class": def.rate,
      "x-errors": [...new Set(["invalid_input", "rate_limited", "internal", ...def.errors])],
    };
  }
  for (const [name, def] of Object.entries(serverPushTable)) {
    messages[name] = { name, summary: def.summary, payload: jsonSchema(def.payload, "output"), examples: [{ payload: def.example }] };
    operations[name] = { action: "send", channel: channelRef, summary: def.summary, messages: [messageRef(name)] };
  }

  return {
    asyncapi: "3.0.0",
    info: {
      title: "Telegraph real-time protocol",
      version: PROTOCOL_VERSION,
      description:
        "Socket.IO 4 events. Connect with `io(url, { auth: { accessToken } })`. Every client event may end with an " +
        "acknowledgement callback: it receives `{ ok: true, data }` or `{ ok: false, error: { code, message } }`. Without one, " +
        "`data` is emitted as the event's reply event and an error as `errorFromServer`.",
    },
    defaultContentType: "application/json",
    servers: { local: { host: "localhost:3000", protocol: "ws", description: "Socket.IO over WebSocket (path /socket.io/)." } },
    channels: { socket: { address: "/", messages } },
    operations,
    components: {
      schemas: {
        ErrorCode: { type: "string", enum: Object.keys(errorTable) },
        AckReply: {
          oneOf: [
            { type: "object", properties: { ok: { const: true }, data: {} }, required: ["ok", "data"] },
            {
              type: "object",
              properties: {
                ok: { const: false },
                error: {
                  type: "object",
                  properties: { code: { $ref: "#/components/schemas/ErrorCode" }, message: { type: "string" } },
                  required: ["code", "message"],
                },
              },
              required: ["ok", "error"],
            },
          ],
        },
      },
    },
  };
}
