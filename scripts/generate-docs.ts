// Writes docs/asyncapi.json, docs/openapi.json and docs/protocol.md from the declarations (`npm run docs`).
import { mkdir, writeFile } from "node:fs/promises";
import { generatedDocs } from "../src/docs/generated.ts";

await mkdir("docs", { recursive: true });
for (const [file, content] of Object.entries(generatedDocs())) {
  await writeFile(`docs/${file}`, content);
  console.log(`wrote docs/${file}`);
}
