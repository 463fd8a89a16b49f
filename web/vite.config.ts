import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const api = process.env["TELEGRAPH_API"] ?? "http://localhost:3000";

/** Writes `.gz` and `.br` twins of the text assets so the server can send them precompressed. */
function precompress(): Plugin {
  return {
    name: "telegraph-precompress",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      for (const [fileName, item] of Object.entries(bundle)) {
        if (!/\.(js|css|svg|html)$/.test(fileName)) continue;
        const source = item.type === "chunk" ? item.code : item.source;
        const bytes = typeof source === "string" ? Buffer.from(source) : Buffer.from(source);
        if (bytes.length < 256) continue;
        this.emitFile({ type: "asset", fileName: `${fileName}.gz`, source: gzipSync(bytes, { level: 9 }) });
        this.emitFile({
          type: "asset",
          fileName: `${fileName}.br`,
          source: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        });
      }
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
];

export default defineConfig({
  root,
  base: "/",
  plugins: [preact({ prerender: { enabled: false } }), precompress()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    assetsDir: "assets",
  },
  server: {
    port: 5173,
    proxy: {
      ...Object.fromEntries(apiRoutes.map((route) => [route, { target: api, changeOrigin: false }])),
      "/socket.io": { target: api, ws: true },
    },
  },
  preview: { port: 4173 },
});
