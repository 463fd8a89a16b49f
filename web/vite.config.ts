import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import preact from "@preact/preset-vite";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("./dist", import.meta.url));
const api = process.env["TELEGRAPH_API"] ?? "http://localhost:3000";

/**
 * Writes `.gz` and `.br` twins of the text assets so the server can send them precompressed. It runs after the
 * files are written: Vite still rewrites chunks (preload helpers) during generateBundle.
 */
function precompress(): Plugin {
  return {
    name: "telegraph-precompress",
    apply: "build",
    enforce: "post",
    async writeBundle(options, bundle) {
      const dir = options.dir ?? outDir;
      await Promise.all(
        Object.keys(bundle)
          .filter((fileName) => /\.(js|css|svg|html)$/.test(fileName))
          .map(async (fileName) => {
            const bytes = await readFile(path.join(dir, fileName));
            if (bytes.length < 256) return;
            await writeFile(path.join(dir, `${fileName}.gz`), gzipSync(bytes, { level: 9 }));
            await writeFile(path.join(dir, `${fileName}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
          }),
      );
    },
  };
}

const apiRoutes = [
  "/register",
  "/confirm_email",
  "/resend_confirmation",
  "/login",
  "/logout",
  "/reset_password",
  "/change_password",
  "/token",
  "/verify_token",
  "/session",
  "/media",
  "/health",
  "/push",
];

export default defineConfig({
  root,
  base: "/",
  plugins: [preact({ prerender: { enabled: false } }), precompress()],
  // telegraph-client resolves to its TypeScript source in this repository; the published package to its dist/.
  resolve: { conditions: ["telegraph-source", ...defaultClientConditions] },
  build: {
    outDir,
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    assetsDir: "assets",
  },
  server: {
    port: 5173,
    proxy: {
      // A page load of an app route that shares a name with an API route (/login) stays with Vite.
      ...Object.fromEntries(
        apiRoutes.map((route) => [
          route,
          { target: api, changeOrigin: false, bypass: (req: { method?: string; headers: { accept?: string } }) => (req.method === "GET" && req.headers.accept?.includes("text/html") ? "/index.html" : undefined) },
        ]),
      ),
      "/socket.io": { target: api, ws: true },
    },
  },
  preview: { port: 4173 },
});
