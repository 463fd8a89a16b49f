import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import webpush from "web-push";
import { z } from "zod";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const Stored = z.object({ publicKey: z.string(), privateKey: z.string() });

/**
 * The VAPID key pair: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY when given (both, the same on every node), otherwise
 * generated once into DATA_DIR/vapid.json (mode 600). Created exclusively, so nodes sharing a DATA_DIR agree.
 */
export async function resolveVapidKeys(given: Partial<VapidKeys>, dataDir: string): Promise<VapidKeys> {
  if (given.publicKey && given.privateKey) return { publicKey: given.publicKey, privateKey: given.privateKey };
  if (given.publicKey || given.privateKey) throw new Error("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither.");
  const file = path.join(dataDir, "vapid.json");
  const generated = webpush.generateVAPIDKeys();
  try {
    await writeFile(file, JSON.stringify(generated), { mode: 0o600, flag: "wx" });
    return generated;
  } catch (err) {
    if ((err as { code?: string }).code !== "EEXIST") throw err;
  }
  return Stored.parse(JSON.parse(await readFile(file, "utf8")));
}
