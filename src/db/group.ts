/**
 * Rows of a query run for several users at once (each row naming its user in `for_user`), grouped by user. Every asked
 * user is present, with the rows in the order the query returned them.
 */
export function groupByUser<R extends { for_user: string }, T = Omit<R, "for_user">>(
  users: readonly string[],
  rows: readonly R[],
  shape: (row: Omit<R, "for_user">) => T = (row) => row as T,
): Map<string, T[]> {
  const grouped = new Map<string, T[]>(users.map((u) => [u, []]));
  for (const { for_user, ...row } of rows) grouped.get(for_user)?.push(shape(row));
  return grouped;
}
