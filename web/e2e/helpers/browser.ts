/**
 * Browser tests against a real server: Debian's Chromium driven by playwright-core, one context per person, and every
 * page watched for console errors, uncaught exceptions and dialogs (a test fails on any of them).
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { describe, it } from "vitest";

export const chromiumPath = process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";
export const browserAvailable = existsSync(chromiumPath);
const skipReason = `browser tests skipped: no Chromium at ${chromiumPath}; set CHROMIUM_PATH or apt-get install -y chromium`;

/**
 * `describe` for a browser suite. Without the browser it is skipped, saying why — or, with REQUIRE_BROWSER=1 (CI),
 * it fails instead.
 */
export function describeBrowser(name: string, options: { timeout: number }, body: () => void): void {
  if (browserAvailable) {
    describe(name, options, body);
  } else if (process.env["REQUIRE_BROWSER"] === "1") {
    describe(name, () => {
      it("has a browser to run in", () => {
        throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${chromiumPath}; set CHROMIUM_PATH or apt-get install -y chromium`);
      });
    });
  } else {
    process.stderr.write(`${skipReason} (${name})\n`);
    describe.skip(`${name} (${skipReason})`, body);
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

/** What went wrong in a page that the test did not ask for. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

/** One person's browser: a fresh context (own cookies and storage), its pages watched. */
export class Person {
  readonly problems: PageProblems = { consoleErrors: [], pageErrors: [], dialogs: [] };
  readonly pages: Page[] = [];
  private readonly expected: RegExp[] = [];
  private constructor(
    readonly label: string,
    readonly context: BrowserContext,
  ) {}

  static async open(browser: Browser, label: string, baseURL: string): Promise<Person> {
    const context = await browser.newContext({ baseURL, viewport: desktop, colorScheme: "light", locale: "en-US" });
    context.setDefaultTimeout(10_000);
    return new Person(label, context);
  }

  async newPage(): Promise<Page> {
    const page = await this.context.newPage();
    const where = () => `${this.label} tab ${this.pages.indexOf(page) + 1} at ${page.url()}`;
    page.on("console", (message) => {
      if (message.type() !== "error" || this.expected.some((pattern) => pattern.test(message.text()))) return;
      this.problems.consoleErrors.push(`${where()}: ${message.text()}`);
    });
    page.on("pageerror", (err) => this.problems.pageErrors.push(`${where()}: ${err.message}`));
    page.on("dialog", (dialog) => {
      this.problems.dialogs.push(`${where()}: ${dialog.type()} ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
    this.pages.push(page);
    return page;
  }

  /**
   * Lets a console error the test itself provokes pass — the browser's own line for an HTTP error the app asked for
   * and handles, e.g. `/Failed to load resource: .* 403/` for a refused login. App errors still fail.
   */
  expectConsoleError(pattern: RegExp): void {
    this.expected.push(pattern);
  }

  /** Throws with every console error, page error and dialog seen so far (and forgets them). */
  assertNoProblems(): void {
    const all = [
      ...this.problems.consoleErrors.map((e) => `console error — ${e}`),
      ...this.problems.pageErrors.map((e) => `uncaught — ${e}`),
      ...this.problems.dialogs.map((e) => `dialog — ${e}`),
    ];
    this.problems.consoleErrors.length = 0;
    this.problems.pageErrors.length = 0;
    this.problems.dialogs.length = 0;
    if (all.length) throw new Error(`${this.label}'s pages had problems:\n${all.join("\n")}`);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
