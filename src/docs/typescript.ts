type Schema = Record<string, unknown>;

/** A TypeScript type rendered from a JSON Schema; `union` says whether it needs parentheses inside `T[]`. */
interface Rendered {
  text: string;
  union: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const UNKNOWN: Rendered = { text: "unknown", union: false };
/** Keywords that constrain values without changing their TypeScript type. */
const ANNOTATIONS = new Set([
  "description", "default", "examples", "title", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "readOnly", "writeOnly",
  "deprecated", "contentEncoding", "contentMediaType", "$comment", "$id", "$schema", "id",
]);

/**
 * Renders JSON Schema (the subset zod 4's `toJSONSchema` writes) as TypeScript type text. `root` resolves `$ref`s to
 * `#/$defs/…` (inlined; a recursive schema is refused rather than rendered wrong). A schema that carries
 * `x-typescript` (a zod `.meta()` on a type JSON Schema cannot express, such as binary data) is rendered as that text.
 */
export function renderType(schema: Schema | boolean | undefined, root: Schema = {}, indent = ""): string {
  return render(schema, { root, refs: [] }, indent).text;
}

interface Scope {
  root: Schema;
  refs: string[];
}

function render(schema: Schema | boolean | undefined, scope: Scope, indent: string): Rendered {
  if (schema === undefined || schema === true) return UNKNOWN;
  if (schema === false) return { text: "never", union: false };
  if (typeof schema["x-typescript"] === "string") return { text: schema["x-typescript"], union: true };
  if (typeof schema["$ref"] === "string") return renderRef(schema["$ref"], scope, indent);
  if ("const" in schema) return { text: literal(schema["const"]), union: false };
  if (Array.isArray(schema["enum"])) return union((schema["enum"] as unknown[]).map((v) => ({ text: literal(v), union: false })));
  const alternatives = (schema["anyOf"] ?? schema["oneOf"]) as Schema[] | undefined;
  if (alternatives) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    const base = Object.keys(rest).some((k) => !ANNOTATIONS.has(k)) ? render(rest, scope, indent) : undefined;
    const options = union(alternatives.map((s) => render(s, scope, indent)));
    return base ? intersection([base, options]) : options;
  }
  if (Array.isArray(schema["allOf"])) {
    const { allOf, ...rest } = schema;
    const parts = (allOf as Schema[]).map((s) => render(s, scope, indent));
    if (Object.keys(rest).some((k) => !ANNOTATIONS.has(k))) parts.unshift(render(rest, scope, indent));
    return intersection(parts);
  }
  const type = schema["type"];
  if (Array.isArray(type)) return union(type.map((t) => render({ ...schema, type: t }, scope, indent)));
  switch (type) {
    case "string":
      return { text: "string", union: false };
    case "integer":
    case "number":
      return { text: "number", union: false };
    case "boolean":
      return { text: "boolean", union: false };
    case "null":
      return { text: "null", union: false };
    case "array":
      return renderArray(schema, scope, indent);
    case "object":
      return renderObject(schema, scope, indent);
    case undefined: {
      const unsupported = Object.keys(schema).filter((k) => !ANNOTATIONS.has(k));
      if (unsupported.length) throw new Error(`renderType: unsupported JSON Schema keywords ${unsupported.join(", ")}`);
      return UNKNOWN;
    }
    default:
      throw new Error(`renderType: unsupported JSON Schema type ${JSON.stringify(type)}`);
  }
}

function renderRef(ref: string, scope: Scope, indent: string): Rendered {
  if (ref === "#" || scope.refs.includes(ref)) throw new Error(`renderType: recursive schema (${ref}) cannot be inlined`);
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const target = match ? (scope.root[match[1]!] as Record<string, Schema> | undefined)?.[decodeURIComponent(match[2]!)] : undefined;
  if (!target) throw new Error(`renderType: cannot resolve ${ref}`);
  return render(target, { root: scope.root, refs: [...scope.refs, ref] }, indent);
}

function renderArray(schema: Schema, scope: Scope, indent: string): Rendered {
  const prefix = schema["prefixItems"] as Schema[] | undefined;
  const items = schema["items"] as Schema | boolean | undefined;
  if (!prefix) {
    const item = render(items, scope, indent);
    return { text: item.union ? `(${item.text})[]` : `${item.text}[]`, union: false };
  }
  const min = typeof schema["minItems"] === "number" ? schema["minItems"] : prefix.length;
  const labels = prefix.map((item, i) => (typeof item["description"] === "string" && IDENTIFIER.test(item["description"]) ? item["description"] : `arg${i}`));
  const unique = new Set(labels).size === labels.length;
  const elements = prefix.map((item, i) => {
    const label = unique ? labels[i] : `arg${i}`;
    return `${label}${i >= min ? "?" : ""}: ${render(item, scope, indent).text}`;
  });
  if (items !== false && items !== undefined) {
    const rest = render(items, scope, indent);
    elements.push(`...rest: ${rest.union ? `(${rest.text})` : rest.text}[]`);
  }
  return { text: `[${elements.join(", ")}]`, union: false };
}

function renderObject(schema: Schema, scope: Scope, indent: string): Rendered {
  const properties = (schema["properties"] ?? {}) as Record<string, Schema>;
  const required = new Set((schema["required"] ?? []) as string[]);
  const inner = indent + "  ";
  const lines: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const description = typeof value["description"] === "string" ? value["description"] : undefined;
    if (description) lines.push(`${inner}/** ${description.replace(/\*\//g, "* /")} */`);
    lines.push(`${inner}${IDENTIFIER.test(key) ? key : JSON.stringify(key)}${required.has(key) ? "" : "?"}: ${render(value, scope, inner).text};`);
  }
  const extra = schema["additionalProperties"];
  const names = schema["propertyNames"] as Schema | undefined;
  if (extra !== undefined && extra !== false) {
    const value = render(extra as Schema | boolean, scope, inner);
    const keys = names && (Array.isArray(names["enum"]) || "const" in names) ? render(names, scope, inner).text : undefined;
    if (keys && !lines.length) {
      const all = Array.isArray(names!["enum"]) && (names!["enum"] as string[]).every((k) => required.has(k));
      return { text: `${all ? "" : "Partial<"}Record<${keys}, ${value.text}>${all ? "" : ">"}`, union: false };
    }
    if (!lines.length) return { text: `Record<string, ${value.text}>`, union: false };
    // Named properties beside an index signature: the signature must admit them all.
    lines.push(`${inner}[key: string]: unknown;`);
  }
  if (!lines.length) return { text: extra === false ? "Record<string, never>" : "Record<string, unknown>", union: false };
  return { text: `{\n${lines.join("\n")}\n${indent}}`, union: false };
}

function union(parts: Rendered[]): Rendered {
  if (parts.some((p) => p.text === "unknown")) return UNKNOWN;
  const texts = [...new Set(parts.map((p) => p.text))];
  if (!texts.length) return { text: "never", union: false };
  return texts.length === 1 ? parts[0]! : { text: texts.join(" | "), union: true };
}

function intersection(parts: Rendered[]): Rendered {
  const known = parts.filter((p) => p.text !== "unknown");
  if (known.length <= 1) return known[0] ?? UNKNOWN;
  return { text: known.map((p) => (p.union ? `(${p.text})` : p.text)).join(" & "), union: true };
}

function literal(value: unknown): string {
  return value === null ? "null" : JSON.stringify(value);
}
