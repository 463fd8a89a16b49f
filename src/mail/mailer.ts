import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Logger } from "../logger.ts";
import { newId } from "../shared/ids.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** SMTP_URL set: mail goes through that server. Unset: each mail is written to DATA_DIR/mail/*.eml and logged. */
export function createMailer(options: { smtpUrl: string | undefined; from: string; dataDir: string; log: Logger }): Mailer {
  if (options.smtpUrl) {
    // Bounded waits, so a hung SMTP server fails the outbox job well inside its lease (OUTBOX_LEASE) and it is retried.
    const transport = nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    return {
      async send(mail) {
        await transport.sendMail({ from: options.from, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const dir = path.join(options.dataDir, "mail");
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail });
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${Date.now()}-${newId()}.eml`);
      // Written under a temporary name first so a reader never sees half a mail.
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
      options.log.info({ to: mail.to, subject: mail.subject, file }, "mail written to file (SMTP_URL is not set)");
    },
    close: () => undefined,
  };
}
