type Schema = Record<string, unknown>;

/** A short TypeScript-like rendering of a JSON Schema, for the readable reference: `{ echo?: string }`. */
export function typeText(schema: Schema | boolean | undefined): string {
  if (schema === undefined || schema === true) return "unknown";
  if (schema === false) return "never";
  if ("const" in schema) return JSON.stringify(schema["const"]);
  if (Array.isArray(schema["enum"])) return (schema["enum"] as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  const union = (schema["anyOf"] ?? schema["oneOf"]) as Schema[] | undefined;
  if (union) return union.map((s) => typeText(s)).join(" | ");
  const type = schema["type"];
  if (Array.isArray(type)) return type.map((t) => typeText({ ...schema, type: t })).join(" | ");
  switch (type) {
    case "string":
      return schema["format"] === "date-time" ? "string (ISO date)" : "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array": {
      if (Array.isArray(schema["prefixItems"])) return `[${(schema["prefixItems"] as Schema[]).map((s) => typeText(s)).join(", ")}]`;
      return `${typeText(schema["items"] as Schema)}[]`;
    }
    case "object": {
      const properties = (schema["properties"] ?? {}) as Record<string, Schema>;
      const required = new Set((schema["required"] ?? []) as string[]);
      const fields = Object.entries(properties).map(([k, v]) => `${k}${required.has(k) ? "" : "?"}: ${typeText(v)}`);
      return fields.length ? `{ ${fields.join(", ")} }` : "{}";
    }
    default:
      return "unknown";
  }
}

/** The call forms of an event from its argument-list schema: `getComments(tweetId: string, skipPage: number)`. */
export function callForms(event: string, args: Schema): string[] {
  const forms = ((args["anyOf"] ?? args["oneOf"]) as Schema[] | undefined) ?? [args];
  return forms.map((form) => {
    const items = (form["prefixItems"] ?? []) as Schema[];
    const min = typeof form["minItems"] === "number" ? form["minItems"] : items.length;
    return `${event}(${items.map((item, i) => `${String(item["description"] ?? `arg${i}`)}${i >= min ? "?" : ""}: ${typeText(item)}`).join(", ")})`;
  });
}
