/**
 * The one error table. Sockets answer `{ code, message }` with these codes; HTTP maps them to the status below.
 * docs/protocol.md lists them and a test checks that every code is documented.
 */
export const errorTable = {
  invalid_input: { status: 400, message: "The input does not match the event's schema." },
  unauthenticated: { status: 401, message: "A valid access token is required." },
  forbidden: { status: 403, message: "You may not do this." },
  reauth_required: { status: 401, message: "This needs a fresh login: log in again, then retry within 5 minutes." },
  account_suspended: { status: 403, message: "This account is suspended." },
  recipient_suspended: { status: 403, message: "The recipient's account is suspended; messages to it are refused." },
  not_found: { status: 404, message: "No such item, or it is not visible to you." },
  conflict: { status: 409, message: "This conflicts with existing data." },
  payload_too_large: { status: 413, message: "The payload is larger than allowed." },
  rate_limited: { status: 429, message: "Too many requests; slow down and retry later." },
  internal: { status: 500, message: "Something went wrong on the server." },
  unavailable: { status: 503, message: "The service is temporarily unavailable." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorTable;
export const errorCodes = Object.keys(errorTable) as ErrorCode[];

/** A failure the client should see, as `{ code, message }`. Anything else thrown becomes `internal`. */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string = errorTable[code].message,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** Turns anything thrown into what a client may see: AppErrors keep their code and message, the rest is `internal`. */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: "internal", message: errorTable.internal.message };
}
