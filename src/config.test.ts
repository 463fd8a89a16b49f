import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      databaseUrl: undefined,
      jwtSecret: undefined,
      accessTokenTtl: 900,
      refreshTokenTtl: 30 * 86400,
      tokenExpiryGrace: 60,
      emailConfirmation: "required",
      publicUrl: "http://localhost:3000",
      eventRateLimit: { points: 60, seconds: 10 },
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it("reads durations, rates and URLs", () => {
    const config = loadConfig({
      ACCESS_TOKEN_TTL: "1h",
      REFRESH_TOKEN_TTL: "7d",
      EVENT_RATE_LIMIT: "5/1",
      DATABASE_URL: "postgres://u@h:5432/db",
      PUBLIC_URL: "https://chat.example.com/",
    });
    expect(config.accessTokenTtl).toBe(3600);
    expect(config.refreshTokenTtl).toBe(7 * 86400);
    expect(config.eventRateLimit).toEqual({ points: 5, seconds: 1 });
    expect(config.publicUrl).toBe("https://chat.example.com");
  });

  it.each([
    ["PORT", "abc", /PORT: expected a port number/],
    ["PORT", "70000", /PORT/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL: expected a postgres/],
    ["JWT_SECRET", "short", /JWT_SECRET: expected at least 32 characters/],
    ["ACCESS_TOKEN_TTL", "soon", /ACCESS_TOKEN_TTL: expected a duration/],
    ["EMAIL_CONFIRMATION", "maybe", /EMAIL_CONFIRMATION/],
    ["SMTP_URL", "http://mail", /SMTP_URL: expected an smtp/],
    ["EVENT_RATE_LIMIT", "lots", /EVENT_RATE_LIMIT: expected "points\/seconds"/],
    ["PUBLIC_URL", "not a url", /PUBLIC_URL/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL/],
  ])("refuses %s=%s with a message naming the variable", (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it("treats an empty optional variable as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", JWT_SECRET: "", SMTP_URL: "" })).toMatchObject({
      databaseUrl: undefined,
      jwtSecret: undefined,
      smtpUrl: undefined,
    });
  });
});
