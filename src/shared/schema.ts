import { z } from "zod";
import { ID_PATTERN } from "./ids.ts";

/** A 24-character lowercase hex id (MongoDB ObjectId format). */
export const Id = z.string().regex(ID_PATTERN, "expected a 24-character lowercase hex id");

/** Text trimmed, then 1..max characters. */
export const Text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `at most ${max} characters`);

/** A 1-based page number, as the founding notes' `skipPage`. */
export const PageNumber = z.number().int().min(1).max(10_000);

export const Username = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9_]+$/, "letters, digits and underscore only")
  .transform((v) => v.toLowerCase());

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email("expected an email address"))
  .transform((v) => v.toLowerCase());

export const Password = z.string().min(8, "at least 8 characters").max(256);

export const Name = z.string().trim().min(1).max(64);

export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,20}$/, "expected a phone number");

/** Timestamps leave the server as ISO strings. */
export const IsoDate = z.iso.datetime();

/**
 * What PostgreSQL text and jsonb cannot hold: U+0000, and a lone UTF-16 surrogate (not Unicode; jsonb refuses its
 * escape). The first input string with one: its path ("0.context.text") and what is wrong, or undefined. Run on
 * validated input (bounded by its schema); binary is skipped.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function findUnstorableText(value: unknown): { path: string; problem: string } | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === "string") {
      if (item.includes("\u0000")) return { path: path || "(input)", problem: "must not contain the NUL character (U+0000)" };
      if (LONE_SURROGATE.test(item)) return { path: path || "(input)", problem: "must be valid Unicode (a lone surrogate is not)" };
    } else if (Array.isArray(item)) {
      item.forEach((child, i) => stack.push({ value: child, path: path ? `${path}.${i}` : String(i) }));
    } else if (item !== null && typeof item === "object" && !ArrayBuffer.isView(item) && !(item instanceof ArrayBuffer)) {
      for (const [key, child] of Object.entries(item)) stack.push({ value: child, path: path ? `${path}.${key}` : key });
    }
  }
  return undefined;
}
