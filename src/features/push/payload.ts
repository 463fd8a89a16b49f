/** What a push tells the service worker: small, and enough to show it and open the right chat. */
export interface PushPayload {
  kind: "message" | "notification";
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

/** The push for a message or notification; content-free (no name, text or link) when the user turned previews off. */
export function pushPayload(
  item: { kind: "message" | "notification"; title: string; text: string | null; hasImage: boolean; url: string },
  previews: boolean,
): PushPayload {
  if (!previews) {
    return item.kind === "message"
      ? { kind: "message", title: "Telegraph", body: "New message", url: "/", tag: "message" }
      : { kind: "notification", title: "Telegraph", body: "New notification", url: "/notifications", tag: "notification" };
  }
  return { kind: item.kind, title: item.title, body: preview(item.text, item.hasImage), url: item.url, tag: item.url };
}

const VERBS: Record<string, string> = {
  follow: "followed you",
  follow_request: "asked to follow you",
  follow_accepted: "accepted your follow request",
  like: "liked your post",
  comment: "commented on your post",
  reply: "replied to your comment",
  mention: "mentioned you",
};

type Person = { name: string; family: string; username: string };
const nameOf = (p: Person) => `${p.name} ${p.family}`.trim() || p.username;

/** A notification entry as a push: who ("A and 2 others"), what they did with a quote, and where it leads. */
export function describeNotification(n: {
  kind: string;
  actors: Person[];
  actors_count: number;
  tweet: { id: string; text: string } | null;
  comment: { text: string } | null;
}): { title: string; text: string; url: string } | undefined {
  const first = n.actors[0];
  if (!first) return undefined;
  const others = n.actors_count - 1;
  const title = others > 0 ? `${nameOf(first)} and ${others} other${others === 1 ? "" : "s"}` : nameOf(first);
  const quote = n.comment?.text ?? n.tweet?.text;
  const verb = VERBS[n.kind] ?? "did something";
  const url = n.tweet ? `/tweet/${n.tweet.id}` : n.kind === "follow_request" ? "/requests" : `/@${first.username}`;
  return { title, text: quote ? `${verb}: ${quote}` : verb, url };
}
