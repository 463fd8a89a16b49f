import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { relativeTime } from "./tweet-format.ts";

/** The current minute, ticking only while something shows a relative time. */
const now = signal(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function useNow(): number {
  useEffect(() => {
    if (users++ === 0) {
      now.value = Date.now();
      timer = setInterval(() => {
        if (document.visibilityState === "visible") now.value = Date.now();
      }, 60_000);
    }
    return () => {
      if (--users === 0) clearInterval(timer);
    };
  }, []);
  return now.value;
}

const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
/** A relative time with the full date in its title and `datetime`. */
export function TweetTime({ iso, class: className }: { iso: string; class?: string }) {
  const current = useNow();
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return null;
  const label = full.format(new Date(then));
  return (
    <time class={className} dateTime={iso} title={label} aria-label={label}>
      {relativeTime(then, current)}
    </time>
  );
}
