import { z } from "zod";
import { clientEvent } from "../../realtime/event.ts";
import { Id, Name, Phone, Username } from "../../shared/schema.ts";
import { ImageInput } from "../media/intake.ts";
import { ProfileShape } from "./presenter.ts";

const exampleProfile = {
  user_id: "63021602091fa84d91c8e9bf",
  name: "john",
  family: "snow",
  username: "jhonsnow",
  photo: "/media/6302160b091fa84d91c8e9c0?exp=1795622400&sig=0q3Xv…",
  biography: "my jhonsnow bio here",
  last_seen: "2026-11-25T12:00:00.000Z",
};

export const peopleEvents = {
  receiveUserProfile: clientEvent({
    summary: "A user's profile. A user who blocked me answers `not_found`, exactly as one who does not exist.",
    args: z.tuple([Id.describe("userId")]),
    data: ProfileShape,
    reply: "sendUserProfileFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: ["63021602091fa84d91c8e9bf"], data: exampleProfile },
    handler: (ctx, [userId]) => ctx.services.people.getProfile(ctx.userId, userId),
  }),
  updateProfile: clientEvent({
    summary:
      "Change my profile. Fields are validated as at registration; a taken username is `conflict`; `photo` is an image (base64, data: URL or binary) that is checked, stripped of metadata and scaled, or null to remove it. `data` is my new profile.",
    args: z.tuple([
      z
        .strictObject({
          name: Name.optional(),
          family: z.string().trim().max(64).optional(),
          username: Username.optional(),
          biography: z.string().trim().max(500).optional(),
          phone: Phone.nullable().optional(),
          photo: ImageInput.nullable().optional(),
        })
        .describe("changes"),
    ]),
    data: ProfileShape,
    reply: "updateProfileFromServer",
    rate: "write",
    errors: ["conflict", "payload_too_large"],
    example: { args: [{ biography: "my jhonsnow bio here" }], data: exampleProfile },
    handler: (ctx, [changes]) => ctx.services.people.updateProfile(ctx.userId, changes),
  }),
};
