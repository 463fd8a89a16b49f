import { describe, expect, it } from "vitest";
import { linkify } from "./linkify.ts";

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
});
