import fc from "fast-check";
import { z } from "zod";
import { ID_PATTERN } from "../../src/shared/ids.ts";

/**
 * fast-check arbitraries derived from the protocol's zod schemas (zod 4's `_zod.def`), for the fuzzers.
 * `arbitraryFor(schema)` makes values shaped like the schema — at its boundaries, with awkward unicode, and with ids
 * taken from a pool of real and unknown ones; `junk` makes anything a client could put on the wire instead.
 */

/** What the generators draw from: ids that exist (other users' items, mine) or not, by kind, and image bytes of every sort. */
export interface FuzzPool {
  ids: { users: readonly string[]; tweets: readonly string[]; comments: readonly string[]; messages: readonly string[]; stories: readonly string[] };
  images: readonly Buffer[];
}

type IdKind = keyof FuzzPool["ids"];

// A field's name or an argument's description says which kind of id it wants: mostly that kind, sometimes another.
const KIND_HINTS: [RegExp, IdKind][] = [
  [/tweet/i, "tweets"],
  [/story/i, "stories"],
  [/comment|replyTo|after/i, "comments"],
  [/user|owner|^to$|^with$/i, "users"],
  [/^id$|up_to|reply_to|before/i, "messages"],
];

interface Check {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

interface Def {
  type: string;
  checks?: { _zod: { def: Check } }[];
  format?: string;
  pattern?: RegExp;
  items?: z.ZodType[];
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, string | number>;
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (schema: z.ZodType): Check[] => (defOf(schema).checks ?? []).map((c) => c._zod.def);
const isOptional = (schema: z.ZodType): boolean => (schema as unknown as { _zod: { optin?: string } })._zod.optin === "optional";

/** Strings that have broken servers: NUL, lone surrogates, direction marks, SQL and LIKE metacharacters, prototype names. */
export const awkwardStrings: readonly string[] = [
  "",
  " ",
  "\t\n\r",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFFx",
  "\uFEFF",
  "\u202Eevil",
  "😀👍🏽‍🔥",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
  "%",
  "_",
  "\\",
  "'",
  '"',
  "'; DROP TABLE users; --",
  "$1",
  "<script>alert(1)</script>",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "NaN",
  "-1",
  "1e309",
  "0x10",
  "data:image/png;base64,",
  "data:;base64,AAAA",
];

const TEXT_UNITS = ["grapheme", "binary", "binary-ascii", "grapheme-composite"] as const;

function textArbitrary(min: number, max: number): fc.Arbitrary<string> {
  const shortMax = Math.min(max, 64);
  const fitted = (s: string) => s.slice(0, max);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...TEXT_UNITS).chain((unit) => fc.string({ unit, minLength: Math.min(min, shortMax), maxLength: shortMax }).map(fitted)) },
    { weight: 2, arbitrary: fc.constantFrom(...awkwardStrings) },
    // The boundaries: exactly the maximum, one over it, and padding that trimming removes.
    { weight: 1, arbitrary: fc.constantFrom("x", "é", "😀", " ").map((c) => c.repeat(max).slice(0, max)) },
    { weight: 1, arbitrary: fc.constant("y".repeat(max + 1)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((s) => `   ${s}\u3000\n`) },
  );
}

function stringArbitrary(schema: z.ZodType, pool: FuzzPool, hint: string): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  let min = 0;
  let max = 10_000;
  let pattern: RegExp | undefined;
  let format = def.format;
  for (const check of checksOf(schema)) {
    if (check.check === "min_length") min = check.minimum ?? min;
    if (check.check === "max_length") max = check.maximum ?? max;
    if (check.check === "string_format") {
      format = check.format;
      pattern = check.pattern;
    }
  }
  if (pattern?.source === ID_PATTERN.source) return idArbitrary(pool, hint);
  if (format === "email") return fc.oneof(fc.emailAddress(), textArbitrary(0, 64)).map((s) => s.slice(0, max));
  if (format === "datetime") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (pattern) {
    return fc.oneof(
      { weight: 3, arbitrary: fc.stringMatching(pattern).filter((s) => s.length <= max + 1) },
      { weight: 1, arbitrary: textArbitrary(min, max) },
    );
  }
  return textArbitrary(min, max);
}

/** Ids of things that exist (mine, other users'), that never existed, and almost-ids. */
export function idArbitrary(pool: FuzzPool, hint = ""): fc.Arbitrary<string> {
  const kind = KIND_HINTS.find(([pattern]) => pattern.test(hint))?.[1];
  const all = Object.values(pool.ids).flat();
  return fc.oneof(
    ...(kind ? [{ weight: 6, arbitrary: fc.constantFrom(...pool.ids[kind]) }] : []),
    { weight: 3, arbitrary: fc.constantFrom(...all) },
    { weight: 2, arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/) },
    { weight: 1, arbitrary: fc.constantFrom("000000000000000000000000", "ffffffffffffffffffffffff", "FFFFFFFFFFFFFFFFFFFFFFFF", "0".repeat(23), "0".repeat(25)) },
  );
}

function numberArbitrary(schema: z.ZodType): fc.Arbitrary<number> {
  let min: number | undefined;
  let max: number | undefined;
  let integer = false;
  for (const check of checksOf(schema)) {
    if (check.check === "number_format" && (check.format === "safeint" || check.format === "int32")) integer = true;
    if (check.check === "greater_than" && check.value !== undefined) min = check.inclusive ? check.value : check.value + (integer ? 1 : 0);
    if (check.check === "less_than" && check.value !== undefined) max = check.inclusive ? check.value : check.value - (integer ? 1 : 0);
  }
  const lo = min ?? Number.MIN_SAFE_INTEGER;
  const hi = max ?? Number.MAX_SAFE_INTEGER;
  const inRange = integer ? fc.integer({ min: lo, max: hi }) : fc.double({ min: lo, max: hi, noNaN: true });
  return fc.oneof(
    { weight: 4, arbitrary: inRange },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi, lo - 1, hi + 1, 0, -1, 0.5, Number.MAX_SAFE_INTEGER, 2 ** 31, 2 ** 63) },
  );
}

function imageArbitrary(pool: FuzzPool): fc.Arbitrary<unknown> {
  return fc.constantFrom(...pool.images).chain((bytes) =>
    fc.constantFrom<unknown>(
      bytes,
      bytes.toString("base64"),
      bytes.toString("base64url"),
      `data:image/png;base64,${bytes.toString("base64")}`,
      new Uint8Array(bytes),
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    ),
  );
}

/** Values shaped by `schema`: mostly valid, often at a boundary, sometimes just over it. */
export function arbitraryFor(schema: z.ZodType, pool: FuzzPool, parentHint = ""): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const hint = z.globalRegistry.get(schema)?.description ?? parentHint;
  const inner = (child: z.ZodType, childHint = hint) => arbitraryFor(child, pool, childHint);
  switch (def.type) {
    case "string":
      return stringArbitrary(schema, pool, hint);
    case "number":
      return numberArbitrary(schema);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "undefined":
      return fc.constant(undefined);
    case "literal":
      return fc.constantFrom(...(def.values ?? [undefined]));
    case "enum":
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case "optional":
      return fc.option(inner(def.innerType!), { nil: undefined, freq: 3 });
    case "nullable":
      return fc.option(inner(def.innerType!), { nil: null, freq: 3 });
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return inner(def.innerType!);
    case "pipe": {
      // A transform on either side says nothing about the input; a refinement on the way out (email) says more.
      return inner(defOf(def.out!).type === "transform" ? def.in! : def.out!);
    }
    case "custom":
      return imageArbitrary(pool);
    case "union": {
      const options = (def.options ?? []).map((option) => inner(option));
      const binary = (def.options ?? []).some((option) => defOf(option).type === "custom");
      return fc.oneof(...options, ...(binary ? [imageArbitrary(pool), imageArbitrary(pool)] : []));
    }
    case "tuple":
      return tupleArbitrary(def.items ?? [], pool, hint);
    case "array": {
      const element = inner(def.element!);
      let min = 0;
      let max = 20;
      for (const check of checksOf(schema)) {
        if (check.check === "min_length") min = check.minimum ?? min;
        if (check.check === "max_length") max = check.maximum ?? max;
      }
      return fc.oneof(
        { weight: 5, arbitrary: fc.array(element, { minLength: min, maxLength: Math.min(max, 20) }) },
        { weight: 1, arbitrary: fc.array(element, { minLength: max, maxLength: max + 1 }) },
      );
    }
    case "object": {
      const shape = def.shape ?? {};
      const arbitraries = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, inner(value, key)]));
      const requiredKeys = Object.entries(shape)
        .filter(([, value]) => !isOptional(value))
        .map(([key]) => key);
      return fc.record(arbitraries, { requiredKeys });
    }
    case "record":
      return fc.dictionary(fc.string({ maxLength: 8 }), inner(def.valueType!), { maxKeys: 5 });
    default:
      return junk;
  }
}

/** A tuple whose optional tail may be left off, as a client that omits optional arguments does. */
function tupleArbitrary(items: z.ZodType[], pool: FuzzPool, hint: string): fc.Arbitrary<unknown[]> {
  let required = items.length;
  while (required > 0 && isOptional(items[required - 1]!)) required--;
  const full = fc.tuple(...items.map((item) => arbitraryFor(item, pool, hint)));
  return fc.tuple(full, fc.integer({ min: required, max: items.length })).map(([values, length]) => values.slice(0, length));
}

function nest(depth: number, leaf: unknown, asObject: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

/** Objects whose own keys are the prototype's names (JSON.parse makes `__proto__` an own key, as the wire does). */
const prototypeKeyed: readonly unknown[] = [
  JSON.parse('{"__proto__":{"polluted":true}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
  JSON.parse('{"__proto__":null,"toString":1,"valueOf":"x","hasOwnProperty":[]}'),
  Object.create(null),
];

/** Anything at all: wrong types, deep nesting, huge arrays and strings, binary, prototype keys, functions. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.anything({
      maxDepth: 3,
      maxKeys: 6,
      withNullPrototype: true,
      withObjectString: true,
      withTypedArray: true,
      withSparseArray: true,
      withDate: true,
      withMap: true,
      withSet: true,
    }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 20, max: 400 }), fc.anything({ maxDepth: 1 }), fc.boolean()).map(([d, leaf, o]) => nest(d, leaf, o)) },
  { weight: 1, arbitrary: fc.integer({ min: 501, max: 20_000 }).chain((n) => fc.constantFrom<unknown>(new Array(n).fill(0), new Array(n).fill("a"), new Array(n).fill({}))) },
  { weight: 1, arbitrary: fc.integer({ min: 4_097, max: 300_000 }).chain((n) => fc.constantFrom("a".repeat(n), " ".repeat(n), "\u0000".repeat(n))) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom(...prototypeKeyed) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, -1, 0, true, null, "", []) },
  { weight: 1, arbitrary: fc.constant(() => undefined) },
);

/** A function where none belongs (socket.io sends it as null unless it is last, where it becomes the acknowledgement). */
const stray = () => undefined;

/**
 * The argument lists of an event a confused or hostile client sends: wholly random ones, and valid ones with one
 * thing broken — an argument replaced, dropped or added, a field set to junk, prototype keys, a function in between.
 */
export function junkArgs(valid: fc.Arbitrary<unknown[]>): fc.Arbitrary<unknown[]> {
  const mutate = fc
    .tuple(valid, junk, fc.nat(), fc.constantFrom("replace", "drop", "extra", "protoKeys", "field", "extraKey", "function", "wrap", "bare"))
    .map(([args, value, n, how]) => {
      const out = [...args];
      const i = out.length ? n % out.length : 0;
      const target = out[i];
      const isObject = target !== null && typeof target === "object" && !Array.isArray(target) && !Buffer.isBuffer(target);
      switch (how) {
        case "replace":
          out[i] = value;
          break;
        case "drop":
          out.splice(i, 1);
          break;
        case "extra":
          out.push(value);
          break;
        case "protoKeys":
          out[i] = isObject ? { ...target, ["__proto__"]: { admin: true }, ["constructor"]: value } : JSON.parse('{"__proto__":{"admin":true}}');
          break;
        case "field":
          if (isObject) {
            const keys = Object.keys(target);
            const key = keys.length ? keys[n % keys.length]! : "x";
            out[i] = { ...target, [key]: value };
          } else out[i] = value;
          break;
        case "extraKey":
          out[i] = isObject ? { ...target, unexpected: value } : { unexpected: value };
          break;
        case "function":
          out.splice(i, 0, stray);
          break;
        case "wrap":
          out[i] = [target];
          break;
        case "bare":
          // An object argument sent as its first field's value, or the other way round.
          out[i] = isObject ? Object.values(target)[0] : { value: target };
          break;
      }
      return out;
    });
  return fc.oneof({ weight: 3, arbitrary: mutate }, { weight: 1, arbitrary: fc.array(junk, { maxLength: 4 }) });
}
