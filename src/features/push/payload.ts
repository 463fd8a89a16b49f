/** What a push tells the service worker: small, and enough to show it and open the right chat. */
export interface PushPayload {
  kind: "message";
  title: string;
  body: string;
  url: string;
  tag: string;
}

const PREVIEW_LENGTH = 100;

/** At most 100 characters of the text (whole code points), with an ellipsis when cut; a photo says so. */
export function preview(text: string | null, hasImage: boolean): string {
  if (!text) return hasImage ? "Photo" : "";
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= PREVIEW_LENGTH ? chars.join("") : `${chars.slice(0, PREVIEW_LENGTH - 1).join("")}…`;
}

/** The push for a message; content-free (no name, text or chat) when the user turned previews off. */
export function messagePayload(
  message: { title: string; text: string | null; hasImage: boolean; url: string },
  previews: boolean,
): PushPayload {
  if (!previews) return { kind: "message", title: "Telegraph", body: "New message", url: "/", tag: "message" };
  return { kind: "message", title: message.title, body: preview(message.text, message.hasImage), url: message.url, tag: message.url };
}
