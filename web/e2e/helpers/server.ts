/** A real Telegraph serving the built web app, with confirmation mail required and caught by a real SMTP server. */
import path from "node:path";
import { ensureWebBuildLocked, repoRoot } from "../../../scripts/web-build.ts";
import type { ConnectionMiddleware } from "../../../src/realtime/middleware.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";
import { startSmtp, type CapturedMail } from "../../../test/helpers/smtp.ts";

export const webDist = path.join(repoRoot, "web", "dist");

export interface E2eServer {
  server: TestServer;
  url: string;
  /** The next mail sent to this address (others are kept for their own callers). */
  mailTo(address: string): Promise<CapturedMail>;
  stop(): Promise<void>;
}

/** Builds the app once if `web/dist` is missing or stale, then starts the server on it. */
export async function startE2eServer(options: { confirmation?: "required" | "off"; env?: Record<string, string>; middlewares?: readonly ConnectionMiddleware[] } = {}): Promise<E2eServer> {
  const built = await ensureWebBuildLocked({ dist: webDist, quiet: true });
  if (built === "failed" || built === "no-app") throw new Error(`the web app could not be built (${built}); run npm run build:web to see why`);
  const smtp = await startSmtp();
  const server = await startServer({ env: { EMAIL_CONFIRMATION: options.confirmation ?? "required", SMTP_URL: smtp.url, WEB_DIST: webDist, ...options.env }, ...(options.middlewares ? { middlewares: options.middlewares } : {}) });
  const pending: CapturedMail[] = [];
  return {
    server,
    url: server.url,
    async mailTo(address) {
      for (;;) {
        const index = pending.findIndex((m) => m.to.includes(address));
        if (index >= 0) return pending.splice(index, 1)[0]!;
        pending.push(await smtp.next());
      }
    },
    async stop() {
      await server.stop();
      await smtp.close();
    },
  };
}

/** The path and query of the app link in a mail (`/confirm?token=…`, `/reset?token=…`), to open on the test server. */
export function appLinkFrom(mail: CapturedMail, route: "/confirm" | "/reset"): string {
  const match = new RegExp(`https?://[^\\s/]+(${route.replace("/", "\\/")}\\?token=[A-Za-z0-9_-]{43})`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${route}?token= link in the mail:\n${mail.text}`);
  return match[1];
}
