/** axe-core scans (serious and critical violations fail) and screenshots for people to look at. */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { repoRoot } from "../../../scripts/web-build.ts";

export const screenshotsDir = path.join(repoRoot, "web", "e2e", "screenshots");

/** Serious and critical violations per screen, as readable lines. */
export async function seriousA11yViolations(page: Page, screen: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  return bad.map(
    (v) =>
      `axe on the ${screen} screen (${new URL(page.url()).pathname}): ${v.impact} ${v.id}: ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(" ")} — ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`).join("\n"),
  );
}

export async function expectNoSeriousA11yViolations(page: Page, screen: string): Promise<void> {
  const bad = await seriousA11yViolations(page, screen);
  if (bad.length) throw new Error(bad.join("\n"));
}

/** Writes `<name>-<viewport>.png` under web/e2e/screenshots/ (ignored by git) and returns its path. */
export async function screenshot(page: Page, name: string, viewport: string): Promise<string> {
  await mkdir(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}-${viewport}.png`);
  // Let web fonts and images settle: the screenshot waits for fonts itself; animations are stopped.
  await page.screenshot({ path: file, animations: "disabled", caret: "hide" });
  return file;
}

/**
 * Copies a screenshot into docs/ for the README — only with UPDATE_DOCS_SCREENSHOTS=1, so that an ordinary test run
 * leaves the committed images (and the working tree) alone.
 */
export async function copyToDocs(file: string, name: string): Promise<void> {
  if (process.env["UPDATE_DOCS_SCREENSHOTS"] !== "1") return;
  await copyFile(file, path.join(repoRoot, "docs", name));
}
