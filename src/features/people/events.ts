import { z } from "zod";
import { clientEvent } from "../../realtime/event.ts";
import { Id } from "../../shared/schema.ts";
import { ProfileShape } from "./presenter.ts";

export const peopleEvents = {
  receiveUserProfile: clientEvent({
    summary: "A user's profile. A user who blocked me answers `not_found`, exactly as one who does not exist.",
    args: z.tuple([Id.describe("userId")]),
    data: ProfileShape,
    reply: "sendUserProfileFromServer",
    rate: "default",
    errors: ["not_found"],
    example: {
      args: ["63021602091fa84d91c8e9bf"],
      data: {
        user_id: "63021602091fa84d91c8e9bf",
        name: "john",
        family: "snow",
        username: "jhonsnow",
        photo: null,
        biography: "my jhonsnow bio here",
        last_seen: "2026-11-25T12:00:00.000Z",
      },
    },
    handler: (ctx, [userId]) => ctx.services.people.getProfile(ctx.userId, userId),
  }),
};
