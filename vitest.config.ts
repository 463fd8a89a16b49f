import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// telegraph-client resolves to its TypeScript source in this repository (the published package: its dist/).
const conditions = ["telegraph-source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "client/**/*.test.ts", "web/src/**/*.test.ts", "web/e2e/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file starts its own server and database; two cores run two at a time.
    pool: "forks",
    maxWorkers: 2,
  },
});
