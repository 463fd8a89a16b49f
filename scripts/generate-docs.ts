// Writes docs/asyncapi.json, docs/openapi.json, docs/protocol.md and the typed client's protocol types
// (client/src/protocol.generated.ts) from the declarations (`npm run docs`).
import { mkdir, writeFile } from "node:fs/promises";
import { generatedDocs, generatedSources } from "../src/docs/generated.ts";

await mkdir("docs", { recursive: true });
for (const [file, content] of Object.entries(generatedDocs())) {
  await writeFile(`docs/${file}`, content);
  console.log(`wrote docs/${file}`);
}
for (const [file, content] of Object.entries(generatedSources())) {
  await writeFile(file, content);
  console.log(`wrote ${file}`);
}
