/** A run of message text: plain text, or an http(s) URL to show as a link. */
export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

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
