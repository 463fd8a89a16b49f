import { describe, expect, it } from "vitest";
import { refusedEndpoint } from "./endpoint-guard.ts";

describe("push endpoint guard", () => {
  it("refuses loopback, private, link-local and mapped addresses, and lets them through when allowed", async () => {
    for (const endpoint of [
      "https://127.0.0.1:8443/push",
      "https://localhost/push",
      "https://10.1.2.3/push",
      "https://192.168.0.9/push",
      "https://169.254.169.254/latest",
      "https://[::1]/push",
      "https://[fd00::1]/push",
      "https://[::ffff:10.0.0.1]/push",
    ]) {
      expect(await refusedEndpoint(endpoint, false), endpoint).not.toBeNull();
      expect(await refusedEndpoint(endpoint, true), endpoint).toBeNull();
    }
  });
  it("lets a public address through", async () => {
    expect(await refusedEndpoint("https://142.250.74.10/fcm/send/abc", false)).toBeNull();
    expect(await refusedEndpoint("https://[2a00:1450:4001:82a::200a]/fcm/send/abc", false)).toBeNull();
  });
});
