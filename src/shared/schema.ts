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
