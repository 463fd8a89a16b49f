import { z } from "zod";
import { clientEvent } from "../../realtime/event.ts";

const Endpoint = z
  .url({ protocol: /^https$/, error: "expected the push service's https:// endpoint" })
  .max(2048)
  .describe("the PushSubscription's endpoint (https)");
const Base64Url = (what: string, max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, "expected base64url")
    .max(max)
    .describe(what);

const Subscription = z.strictObject({
  endpoint: Endpoint,
  keys: z.strictObject({
    p256dh: Base64Url("the browser's P-256 public key (65 bytes, base64url)", 128),
    auth: Base64Url("the 16-byte authentication secret (base64url)", 64),
  }),
});
const EndpointShape = z.object({ endpoint: z.string() });

const example = {
  endpoint: "https://push.example.net/send/abc123",
  keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" },
};

export const pushEvents = {
  registerPushSubscription: clientEvent({
    summary:
      "Register this browser's Web Push subscription (from `pushManager.subscribe` with the key of `GET /push/vapid_public_key`) for me: messages that reach me while none of my devices is connected are pushed to it after PUSH_DELAY. Registering an endpoint again (another login in that browser) moves it to me.",
    args: z.tuple([Subscription.describe("subscription")]),
    data: EndpointShape,
    reply: "registerPushSubscriptionFromServer",
    rate: "write",
    errors: [],
    example: { args: [example], data: { endpoint: example.endpoint } },
    handler: (ctx, [sub]) => ctx.services.push.register(ctx.userId, sub),
  }),
  unregisterPushSubscription: clientEvent({
    summary: "Stop pushing to this endpoint (push turned off in this browser, or before logging out). An endpoint that is not mine is left alone.",
    args: z.tuple([z.strictObject({ endpoint: z.string().max(2048) }).describe("subscription")]),
    data: EndpointShape,
    reply: "unregisterPushSubscriptionFromServer",
    rate: "write",
    errors: [],
    example: { args: [{ endpoint: example.endpoint }], data: { endpoint: example.endpoint } },
    handler: (ctx, [sub]) => ctx.services.push.unregister(ctx.userId, sub.endpoint),
  }),
};
