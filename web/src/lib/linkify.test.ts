import { describe, expect, it } from "vitest";
import { linkify, linkifyWithMentions } from "./linkify.ts";

describe("linkify", () => {
  it("leaves plain text alone", () => {
    expect(linkify("hello <b>there</b>")).toEqual([{ kind: "text", text: "hello <b>there</b>" }]);
  });
  it("turns http and https URLs into links, without trailing punctuation", () => {
    expect(linkify("see https://example.com/a?b=1, and http://x.org.")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { kind: "text", text: ", and " },
      { kind: "link", text: "http://x.org", href: "http://x.org" },
      { kind: "text", text: "." },
    ]);
  });
  it("keeps a balanced closing parenthesis", () => {
    expect(linkify("(https://en.wikipedia.org/wiki/A_(b))")[1]).toEqual({
      kind: "link",
      text: "https://en.wikipedia.org/wiki/A_(b)",
      href: "https://en.wikipedia.org/wiki/A_(b)",
    });
  });
  it("never links other schemes", () => {
    for (const text of ["javascript:alert(1)", "data:text/html,<script>", "ftp://x.org", "www.example.com", "<img src=x onerror=alert(1)>"]) {
      expect(linkify(text).every((part) => part.kind === "text")).toBe(true);
    }
  });
  it("links the mentions the server resolved, by their UTF-16 offsets, and nothing else that looks like one", () => {
    const text = "🙂 hi @Ana and @nobody, see https://x.org";
    const start = text.indexOf("@Ana");
    expect(linkifyWithMentions(text, [{ username: "ana", start, end: start + 4 }])).toEqual([
      { kind: "text", text: "🙂 hi " },
      { kind: "mention", text: "@Ana", href: "/@ana" },
      { kind: "text", text: " and @nobody, see " },
      { kind: "link", text: "https://x.org", href: "https://x.org" },
    ]);
    // Offsets that do not match the text are not trusted.
    expect(linkifyWithMentions("hi @ana", [{ username: "bob", start: 3, end: 7 }])).toEqual([{ kind: "text", text: "hi @ana" }]);
  });
});
