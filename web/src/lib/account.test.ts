import { describe, expect, it } from "vitest";
import { deletionRefusal, exportFileName, minutesText, sizeText } from "./account.ts";

describe("exportFileName", () => {
  it("names the file by username and local date", () => {
    expect(exportFileName("ana_1", new Date(2026, 0, 5, 23, 59))).toBe("telegraph-export-ana_1-2026-01-05.jsonl");
  });
  it("keeps only file-safe characters", () => {
    expect(exportFileName("a/b c", new Date(2026, 11, 31))).toBe("telegraph-export-a_b_c-2026-12-31.jsonl");
    expect(exportFileName("", new Date(2026, 11, 31))).toBe("telegraph-export-me-2026-12-31.jsonl");
  });
});

describe("minutesText", () => {
  it("rounds a wait up to whole minutes, at least one", () => {
    expect(minutesText(1)).toBe("1 minute");
    expect(minutesText(60)).toBe("1 minute");
    expect(minutesText(61)).toBe("2 minutes");
    expect(minutesText(3600)).toBe("60 minutes");
  });
});

describe("sizeText", () => {
  it("shows kilobytes, then megabytes with one decimal", () => {
    expect(sizeText(10)).toBe("1 KB");
    expect(sizeText(820 * 1024)).toBe("820 KB");
    expect(sizeText(3.44 * 1024 * 1024)).toBe("3.4 MB");
  });
});

describe("deletionRefusal", () => {
  it("reads a wrong password from either step", () => {
    expect(deletionRefusal("login", 401, {}, null)).toEqual({ reason: "wrong_password" });
    expect(deletionRefusal("delete", 403, { code: "forbidden" }, null)).toEqual({ reason: "wrong_password" });
  });
  it("keeps the server's wait, or a minute without one", () => {
    expect(deletionRefusal("delete", 429, { code: "rate_limited" }, 300)).toEqual({ reason: "rate_limited", retryAfter: 300 });
    expect(deletionRefusal("login", 429, {}, null)).toEqual({ reason: "rate_limited", retryAfter: 60 });
  });
  it("tells the network apart from any other refusal", () => {
    expect(deletionRefusal("login", 0, {}, null)).toEqual({ reason: "network" });
    // A 403 from the login is a suspension or an unconfirmed email, not a wrong password.
    expect(deletionRefusal("login", 403, { code: "account_suspended" }, null)).toEqual({ reason: "failed" });
    expect(deletionRefusal("delete", 401, { code: "reauth_required" }, null)).toEqual({ reason: "failed" });
  });
});
