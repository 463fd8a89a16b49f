import type { MessageStatus } from "../state/types.ts";
import "./ticks.css";

const LABEL: Record<MessageStatus, string> = { sending: "Sending", failed: "Not sent", sent: "Sent", delivered: "Delivered", seen: "Seen" };

/** Sending (clock), sent (one tick), delivered (two), seen (two, coloured), failed (!). */
export function Ticks({ status }: { status: MessageStatus }) {
  return (
    <span class={`ticks ticks--${status}`} role="img" aria-label={LABEL[status]} title={LABEL[status]}>
      {status === "sending" ? (
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.5" />
          <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
      ) : status === "failed" ? (
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M8 4v5M8 11v1.5" stroke="#fff" stroke-width="1.8" />
        </svg>
      ) : (
        <svg viewBox="0 0 20 16" aria-hidden="true">
          <path d="M1.5 8.5 5 12l7-8" fill="none" stroke="currentColor" stroke-width="1.6" />
          {status !== "sent" ? <path d="M8 11l1 1 7-8" fill="none" stroke="currentColor" stroke-width="1.6" /> : null}
        </svg>
      )}
    </span>
  );
}
