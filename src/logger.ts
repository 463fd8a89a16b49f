import pino, { type Logger } from "pino";

export type { Logger };

/** JSON lines for machines; a readable format when attached to a terminal. */
export function createLogger(level: string): Logger {
  const pretty = process.stdout.isTTY && level !== "silent";
  return pino({
    level,
    base: undefined,
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } } : {}),
  });
}
