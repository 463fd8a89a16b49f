import { z } from "zod";
import { Text } from "../../shared/schema.ts";
import { ImageInput } from "../media/intake.ts";

const blankToUndefined = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

/** What a sent message (direct or group) carries: text, an image, or both. */
export const MessageContextInput = z
  .strictObject({
    text: z.preprocess(blankToUndefined, Text(4096).optional()),
    image: z.preprocess((v) => (v === null || v === "" ? undefined : v), ImageInput.optional()),
  })
  .refine((c) => c.text !== undefined || c.image !== undefined, "at least one of text or image");

export const ClientIdInput = z
  .string()
  .min(1)
  .max(64)
  .nullish()
  .describe("chosen by the client; a retry with the same one returns the stored message");
