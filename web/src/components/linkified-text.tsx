import { linkifyWithMentions, type Mention } from "../lib/linkify.ts";

/**
 * Text as text nodes; only http(s) URLs become links (a new tab without an opener), and the @mentions the server
 * resolved become links to the profile (in the app).
 */
export function LinkifiedText({ text, mentions }: { text: string; mentions?: readonly Mention[] | undefined }) {
  return (
    <>
      {linkifyWithMentions(text, mentions).map((part, i) =>
        part.kind === "link" ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : part.kind === "mention" ? (
          <a key={i} href={part.href} class="mention">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
