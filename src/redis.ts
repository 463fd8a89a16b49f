import { Redis } from "ioredis";
import type { Logger } from "./logger.ts";

/** The Redis connections of a clustered node: commands, and the adapter's publish and subscribe pair. */
export interface RedisConnections {
  command: Redis;
  pub: Redis;
  sub: Redis;
  /** Key and channel prefix, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  /** True while the command connection is up. */
  isReady(): boolean;
  close(): Promise<void>;
}

/**
 * Connects to REDIS_URL. Commands fail fast while Redis is away (no offline queue), so a node keeps serving its own
 * connections and reports not ready; ioredis reconnects by itself and the node recovers.
 */
export async function openRedis(url: string, prefix: string, log: Logger): Promise<RedisConnections> {
  const command = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  const pub = new Redis(url, { lazyConnect: true });
  const sub = new Redis(url, { lazyConnect: true });
  let down = false;
  for (const [name, client] of Object.entries({ command, pub, sub })) {
    client.on("error", (err: Error) => {
      if (!down) log.error({ err: err.message, connection: name }, "redis connection error");
      down = true;
    });
    client.on("ready", () => {
      if (down) log.info({ connection: name }, "redis connection back");
      down = false;
    });
  }
  await Promise.all([command.connect(), pub.connect(), sub.connect()]);
  return {
    command,
    pub,
    sub,
    prefix,
    isReady: () => command.status === "ready",
    async close() {
      // quit() waits for a reply that never comes while Redis is away; then just drop the connections.
      await Promise.allSettled([command, pub, sub].map((c) => (c.status === "ready" ? c.quit() : Promise.resolve(c.disconnect()))));
    },
  };
}
