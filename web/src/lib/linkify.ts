/** A run of text: plain text, an http(s) URL to show as a link, or a resolved @mention (a link to the profile). */
export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string } | { kind: "mention"; text: string; href: string };

/** A mention as the server resolved it: offsets in UTF-16 code units of the text. */
export interface Mention {
  username: string;
  start: number;
  end: number;
}

/**
 * Splits text into plain runs, links, and the mentions the server resolved (only those: an `@name` it did not resolve
 * stays text). A mention whose offsets do not match the text is skipped rather than trusted.
 */
export function linkifyWithMentions(text: string, mentions: readonly Mention[] = []): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of [...mentions].sort((a, b) => a.start - b.start)) {
    if (m.start < last || m.end > text.length || text.slice(m.start, m.end).toLowerCase() !== `@${m.username.toLowerCase()}`) continue;
    if (m.start > last) parts.push(...linkify(text.slice(last, m.start)));
    parts.push({ kind: "mention", text: text.slice(m.start, m.end), href: `/@${encodeURIComponent(m.username)}` });
    last = m.end;
  }
  if (last < text.length) parts.push(...linkify(text.slice(last)));
  return parts;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}'"»”’]+$/;

/** Splits text into plain runs and http(s) links; nothing but an http(s) URL ever becomes a link. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0];
    const start = match.index;
    // Keep a closing bracket that belongs to the URL, e.g. https://en.wikipedia.org/wiki/A_(b).
    const trailing = TRAILING.exec(url)?.[0] ?? "";
    if (trailing) {
      let cut = trailing.length;
      if (trailing.startsWith(")") && url.slice(0, -cut).includes("(")) cut -= 1;
      url = url.slice(0, url.length - cut);
    }
    if (!isHttpUrl(url)) continue;
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    parts.push({ kind: "link", text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

function isHttpUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}
