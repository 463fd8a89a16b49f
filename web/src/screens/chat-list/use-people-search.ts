import { useEffect, useState } from "preact/hooks";
import { searchPeople } from "../../connection/actions.ts";
import type { UserSummary } from "../../state/types.ts";

/** People matching what is typed, asked 200 ms after the last key; null while the query is empty. */
export function usePeopleSearch(query: string): UserSummary[] | null {
  const [results, setResults] = useState<UserSummary[] | null>(null);
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => void searchPeople(q).then((found) => live && setResults(found)), 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);
  return results;
}
