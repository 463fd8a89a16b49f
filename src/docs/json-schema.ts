import { z } from "zod";

/** JSON Schema of a zod schema as a client sends it (`input`) or receives it (`output`), without the $schema key. */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });
  return rest;
}
