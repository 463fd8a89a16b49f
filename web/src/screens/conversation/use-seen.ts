import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { BubbleMessage } from "../../state/types.ts";

/**
 * Marks messages as seen once they are actually on screen and the page has focus: an IntersectionObserver watches
 * the unseen ones; a focus or visibility change re-checks what is visible. `markSeen` gets the newest one visible.
 */
export function useSeenMarker<T extends BubbleMessage>(
  log: RefObject<HTMLDivElement>,
  key: string,
  messages: readonly T[],
  unseen: (m: T) => boolean,
  markSeen: (upTo: string) => void,
): void {
  const visible = useRef(new Set<string>());
  const observer = useRef<IntersectionObserver | null>(null);
  const mark = useRef(markSeen);
  mark.current = markSeen;

  useEffect(() => {
    const flush = () => {
      if (!document.hasFocus() || document.visibilityState !== "visible" || visible.current.size === 0) return;
      let max = "";
      for (const id of visible.current) if (id > max) max = id;
      if (max) mark.current(max);
    };
    const io = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset["messageId"];
          if (!id) continue;
          if (entry.isIntersecting) visible.current.add(id);
          else visible.current.delete(id);
        }
        flush();
      },
      { root: log.current, threshold: 0.6 },
    );
    observer.current = io;
    window.addEventListener("focus", flush);
    document.addEventListener("visibilitychange", flush);
    return () => {
      io.disconnect();
      observer.current = null;
      visible.current.clear();
      window.removeEventListener("focus", flush);
      document.removeEventListener("visibilitychange", flush);
    };
  }, [key]);

  useEffect(() => {
    const io = observer.current;
    const root = log.current;
    if (!io || !root) return;
    for (const m of messages) {
      if (m.local || !unseen(m)) continue;
      const el = root.querySelector(`[data-message-id="${CSS.escape(m.id)}"]`);
      if (el) io.observe(el);
    }
  }, [messages, key]);
}
