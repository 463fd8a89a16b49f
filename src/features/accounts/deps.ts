import type { Redis } from "ioredis";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import type { Outbox } from "../outbox/service.ts";
import type { AccessTokens } from "./tokens.ts";

/** What the accounts feature needs from the composition root. */
export interface AccountsDeps {
  db: Db;
  clock: Clock;
  config: Config;
  /** Mail leaves through the outbox, written in the transaction of the account change. */
  outbox: Outbox;
  log: Logger;
  accessTokens: AccessTokens;
  /** Where login throttling is kept when the node is clustered. */
  redis?: { redis: Redis; prefix: string };
  /** Drops every live socket of a user, on every node (password change, logout everywhere). */
  disconnectUser(userId: string): void;
  /** A login of the user ended, or all of them: the device's push subscription (or all of them) goes with it. */
  loggedOut?(userId: string, scope: { everywhere: boolean; pushEndpoint: string | undefined }): Promise<void>;
}
