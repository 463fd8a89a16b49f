/** What is known of two users' relation when deciding what one may see of the other. */
export interface Relation {
  iBlocked: boolean;
  theyBlocked: boolean;
}

/** Someone who blocked me is invisible to me: their profile answers as if they did not exist. */
export function canSeeProfile(relation: Relation): boolean {
  return !relation.theyBlocked;
}
