import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  to: string[];
  raw: string;
  subject: string;
  /** The body with quoted-printable soft breaks and escapes undone. */
  text: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every mail it receives; on `port` to come back where a stopped one was. */
export async function startSmtp(options: { port?: number } = {}): Promise<{ url: string; mails: CapturedMail[]; next(): Promise<CapturedMail>; close(): Promise<void> }> {
  const mails: CapturedMail[] = [];
  const waiters: ((mail: CapturedMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const mail = { to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMail(raw) };
        const waiter = waiters.shift();
        if (waiter) waiter(mail);
        else mails.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next: () => {
      const queued = mails.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Subject and decoded body of a simple text mail as nodemailer writes it. */
export function parseMail(raw: string): { subject: string; text: string } {
  const [head = "", ...bodyParts] = raw.split(/\r?\n\r?\n/);
  const subject = /^Subject: (.*)$/m.exec(head)?.[1] ?? "";
  const body = bodyParts.join("\n\n");
  const text = /quoted-printable/i.test(head)
    ? body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : body;
  return { subject, text };
}

/** The single-use token a Telegraph mail carries on its "Token:" line. */
export function tokenFrom(mail: { text: string }): string {
  const match = /Token: ([A-Za-z0-9_-]{43})/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no token in mail:\n${mail.text}`);
  return match[1];
}
