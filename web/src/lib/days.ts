/** Something placed in time: a message, or anything with an ISO `sent_at`. */
export interface Dated {
  sent_at: string;
}

export type DayItem<T> = { kind: "day"; key: string; label: string } | { kind: "item"; item: T };

/** The local calendar day of an ISO timestamp, as YYYY-MM-DD. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** "Today", "Yesterday", a weekday name within the week, else a date. */
export function dayLabel(iso: string, now: Date = new Date()): string {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return "Today";
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString())) return "Yesterday";
  const d = new Date(iso);
  const sameYear = d.getFullYear() === now.getFullYear();
  return d.toLocaleDateString(undefined, { day: "numeric", month: "long", ...(sameYear ? {} : { year: "numeric" }) });
}

/** Interleaves day separators with items sorted oldest first. */
export function groupByDay<T extends Dated>(items: readonly T[], now: Date = new Date()): DayItem<T>[] {
  const out: DayItem<T>[] = [];
  let current = "";
  for (const item of items) {
    const key = dayKey(item.sent_at);
    if (key !== current) {
      current = key;
      out.push({ kind: "day", key, label: dayLabel(item.sent_at, now) });
    }
    out.push({ kind: "item", item });
  }
  return out;
}

/** A short time for a list: HH:MM today, the weekday within a week, else the date. */
export function shortTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (dayKey(iso) === dayKey(now.toISOString())) return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const age = now.getTime() - d.getTime();
  if (age < 6 * 86_400_000 && age > 0) return d.toLocaleDateString(undefined, { weekday: "short" });
  return d.toLocaleDateString(undefined, { day: "numeric", month: "short" });
}
