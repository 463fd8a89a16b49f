import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonSchema } from "./json-schema.ts";
import { renderType } from "./typescript.ts";

/** The type text the client's generator writes for a zod schema (as the docs render it to JSON Schema). */
const ts = (schema: z.ZodType, io: "input" | "output" = "output") => {
  const json = jsonSchema(schema, io);
  return renderType(json, json).replace(/\s+/g, " ");
};

describe("JSON Schema to TypeScript (the client's generated protocol types)", () => {
  it("renders objects with required and optional fields, nullable values and arrays of unions", () => {
    const schema = z.object({ a: z.string(), b: z.number().int().optional(), c: z.boolean().nullable(), d: z.array(z.union([z.string(), z.number()])) });
    expect(ts(schema)).toBe("{ a: string; b?: number; c: boolean | null; d: (string | number)[]; }");
  });

  it("renders tuples with labels from their descriptions, optional elements and a rest", () => {
    expect(ts(z.tuple([z.string().describe("userId"), z.number().optional().describe("page")]), "input")).toBe("[userId: string, page?: number]");
    expect(ts(z.tuple([z.string()], z.number()))).toBe("[arg0: string, ...rest: number[]]");
    expect(ts(z.union([z.tuple([]), z.tuple([z.object({ echo: z.string() }).describe("options")])]), "input")).toBe(
      "[] | [options: { echo: string; }]",
    );
  });

  it("renders enums, literals, discriminated unions and string formats", () => {
    expect(ts(z.enum(["a", "b"]).nullable())).toBe('"a" | "b" | null');
    expect(ts(z.literal([1, 2]))).toBe("1 | 2");
    expect(ts(z.discriminatedUnion("kind", [z.object({ kind: z.literal("x"), v: z.string() }), z.object({ kind: z.literal("y") })]))).toBe(
      '{ kind: "x"; v: string; } | { kind: "y"; }',
    );
    expect(ts(z.object({ at: z.iso.datetime(), mail: z.email(), link: z.url() }))).toBe("{ at: string; mail: string; link: string; }");
  });

  it("renders records, open objects and empty objects", () => {
    expect(ts(z.record(z.string(), z.number()))).toBe("Record<string, number>");
    expect(ts(z.record(z.enum(["a", "b"]), z.number()))).toBe('Record<"a" | "b", number>');
    expect(ts(z.partialRecord(z.enum(["a", "b"]), z.number()))).toBe('Partial<Record<"a" | "b", number>>');
    expect(ts(z.looseObject({ a: z.string() }))).toBe("{ a: string; [key: string]: unknown; }");
    expect(ts(z.object({}))).toBe("Record<string, never>");
    expect(ts(z.unknown())).toBe("unknown");
  });

  it("inlines $defs, keeps field descriptions as JSDoc and takes x-typescript for what JSON Schema cannot say", () => {
    const Item = z.object({ id: z.string().describe("the item's id") }).meta({ id: "ClientTypesTestItem" });
    expect(ts(z.object({ one: Item, many: z.array(Item) }))).toBe(
      "{ one: { /** the item's id */ id: string; }; many: { /** the item's id */ id: string; }[]; }",
    );
    const binary = z.custom<Uint8Array>((v) => v instanceof Uint8Array).meta({ "x-typescript": "Uint8Array" });
    expect(ts(z.union([z.string(), binary]), "input")).toBe("string | Uint8Array");
    // Without the hint, an unrepresentable type widens the union to unknown rather than claiming too little.
    expect(ts(z.union([z.string(), z.custom<Uint8Array>(() => true)]), "input")).toBe("unknown");
  });

  it("refuses what it cannot render faithfully: recursion, unresolvable refs, unknown keywords", () => {
    type Tree = { name: string; children: Tree[] };
    const Tree: z.ZodType<Tree> = z.lazy(() => z.object({ name: z.string(), children: z.array(Tree) }));
    expect(() => ts(Tree)).toThrow(/recursive/);
    expect(() => renderType({ $ref: "#/$defs/Missing" })).toThrow(/cannot resolve/);
    expect(() => renderType({ not: { type: "string" } })).toThrow(/unsupported JSON Schema keywords not/);
    expect(() => renderType({ type: "bigint" })).toThrow(/unsupported JSON Schema type/);
  });
});
