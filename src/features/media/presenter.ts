import { z } from "zod";
import type { MediaLinks } from "./links.ts";
import type { MediaRow } from "./repo.ts";

/** How a reply refers to an image: its id and a URL, never the bytes. */
export const MediaRefShape = z.object({
  id: z.string(),
  url: z.string().describe("GET it with Authorization: Bearer <token>, or as is while its signature is valid"),
  type: z.enum(["image/png", "image/jpeg", "image/webp", "image/gif"]),
  width: z.number().int(),
  height: z.number().int(),
});
export type MediaRef = z.infer<typeof MediaRefShape>;

export function presentMediaRef(row: Pick<MediaRow, "id" | "type" | "width" | "height">, links: MediaLinks): MediaRef {
  return { id: row.id, url: links.url(row.id), type: row.type, width: row.width, height: row.height };
}

/** The bytes as a `data:` URL, for the replies the founding notes define with the image inside. */
export function presentDataUrl(type: string, bytes: Buffer): string {
  return `data:${type};base64,${bytes.toString("base64")}`;
}
