import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { markSeen } from "../../connection/actions.ts";
import type { ViewMessage } from "../../state/types.ts";

/**
 * Marks their messages as seen once they are actually on screen and the page has focus: an IntersectionObserver
 * watches the unseen ones; a focus or visibility change re-checks what is visible.
 */
export function useSeenMarker(log: RefObject<HTMLDivElement>, partnerId: string, messages: readonly ViewMessage[]): void {
  const visible = useRef(new Set<string>());
  const observer = useRef<IntersectionObserver | null>(null);

  useEffect(() => {
    const flush = () => {
      if (!document.hasFocus() || document.visibilityState !== "visible" || visible.current.size === 0) return;
      let max = "";
      for (const id of visible.current) if (id > max) max = id;
      if (max) markSeen(partnerId, max);
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
  }, [partnerId]);

  useEffect(() => {
    const io = observer.current;
    const root = log.current;
    if (!io || !root) return;
    for (const m of messages) {
      if (m.from !== partnerId || m.seen_at) continue;
      const el = root.querySelector(`[data-message-id="${CSS.escape(m.id)}"]`);
      if (el) io.observe(el);
    }
  }, [messages, partnerId]);
}
