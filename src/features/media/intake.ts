import { z } from "zod";
import { AppError } from "../../shared/errors.ts";

const DATA_URL = /^data:([a-z0-9.+/-]+)?(;[a-z0-9=.+-]+)*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/**
 * An image as a client may send it: a base64 string (bare or a `data:…;base64,` URL, as the founding notes do) or
 * binary (Buffer, ArrayBuffer, typed array). Parsed into a Buffer; the type is decided later, from the bytes.
 */
export const ImageInput = z
  .union([
    z.string().min(1),
    // JSON Schema cannot say "binary": the x-typescript key gives the typed client's generator the type instead.
    z.custom<Uint8Array>((v) => v instanceof Uint8Array, "expected binary image data").meta({ "x-typescript": "Uint8Array" }),
    z.custom<ArrayBuffer>((v) => v instanceof ArrayBuffer, "expected binary image data").meta({ "x-typescript": "ArrayBuffer" }),
  ])
  .transform((value, ctx) => {
    if (value instanceof ArrayBuffer) return Buffer.from(value);
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const payload = value.replace(DATA_URL, "").replace(/\s+/g, "");
    if (!BASE64.test(payload)) {
      ctx.addIssue({ code: "custom", message: "expected base64 image data, a data: URL or binary" });
      return z.NEVER;
    }
    return Buffer.from(payload, payload.includes("-") || payload.includes("_") ? "base64url" : "base64");
  })
  .describe("image: base64, a data: URL, or binary");

/** Refuses bytes over the limit with payload_too_large (counted on the decoded bytes). */
export function assertImageSize(bytes: Buffer, maxBytes: number): void {
  if (bytes.length > maxBytes) {
    throw new AppError("payload_too_large", `The image is ${bytes.length} bytes; at most ${maxBytes} are accepted.`);
  }
  if (bytes.length === 0) throw new AppError("invalid_input", "The image is empty.");
}
