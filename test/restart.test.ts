import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveJwtSecret } from "../src/features/accounts/secret.ts";
import { closeAll, connectAs, createUser } from "./helpers/factories.ts";
import { post } from "./helpers/http.ts";
import { makeImage } from "./helpers/images.ts";
import { startServer } from "./helpers/server.ts";

describe("restarting on the same DATA_DIR", { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    closeAll();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("keeps the accounts and media, and tokens issued before the restart still work", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-restart-"));
    dirs.push(dataDir);
    const jwtSecret = await resolveJwtSecret(undefined, dataDir);
    const first = await startServer({ dataDir, jwtSecret });
    const user = await createUser(first);
    const photo = (await (await connectAs(first, user)).api.updateProfile({ photo: await makeImage("png", 32, 32) })).photo!;
    closeAll();
    await first.stop({ keepDatabase: true });

    const second = await startServer({ dataDir, jwtSecret: await resolveJwtSecret(undefined, dataDir), ...(first.schema ? { schema: first.schema } : {}) });
    try {
      const login = await post(second.url, "/login", { username: user.username, password: user.password });
      expect(login.status).toBe(200);
      expect(login.body["user_id"]).toBe(user.userId);
      const client = await connectAs(second, user);
      expect((await client.api.receiveUserProfile(user.userId)).username).toBe(user.username);
      expect((await post(second.url, "/token/refresh", { refresh_token: user.refreshToken })).status).toBe(200);
      const image = await fetch(second.url + photo.split("?")[0], { headers: { authorization: `Bearer ${user.accessToken}` } });
      expect(image.status).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/png");
    } finally {
      await second.stop();
    }
  });

  it("generates the JWT secret once and keeps it private in DATA_DIR", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-secret-"));
    dirs.push(dataDir);
    const a = await resolveJwtSecret(undefined, dataDir);
    const b = await resolveJwtSecret(undefined, dataDir);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect((await stat(path.join(dataDir, "jwt-secret"))).mode & 0o777).toBe(0o600);
    expect(await resolveJwtSecret("configured-secret-configured-secret", dataDir)).toBe("configured-secret-configured-secret");
  });
});
