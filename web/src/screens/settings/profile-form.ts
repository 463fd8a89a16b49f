/** The edit-profile form without DOM: what changed, and the server's errors by field. */

export type LastSeenVisibility = "everyone" | "followers" | "nobody";

export interface ProfileFields {
  name: string;
  family: string;
  biography: string;
  last_seen_visibility: LastSeenVisibility;
}

export const LIMITS = { name: 64, family: 64, biography: 500 } as const;

/** The fields that differ from what the server has (trimmed where the server would keep spaces meaningless). */
export function changedFields(saved: ProfileFields, draft: ProfileFields): Partial<ProfileFields> {
  const out: Partial<ProfileFields> = {};
  if (draft.name.trim() !== saved.name) out.name = draft.name.trim();
  if (draft.family.trim() !== saved.family) out.family = draft.family.trim();
  if (draft.biography !== saved.biography) out.biography = draft.biography;
  if (draft.last_seen_visibility !== saved.last_seen_visibility) out.last_seen_visibility = draft.last_seen_visibility;
  return out;
}

/** What the form can tell before asking the server. */
export function checkFields(draft: ProfileFields): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors["name"] = "Your name is required.";
  else if (draft.name.trim().length > LIMITS.name) errors["name"] = `At most ${LIMITS.name} characters.`;
  if (draft.family.trim().length > LIMITS.family) errors["family"] = `At most ${LIMITS.family} characters.`;
  if (draft.biography.length > LIMITS.biography) errors["biography"] = `At most ${LIMITS.biography} characters.`;
  return errors;
}

/** Schema messages in plain words. */
function humanize(message: string): string {
  const small = /too small.*>=\s*(\d+)\s*characters/i.exec(message);
  if (small) return small[1] === "1" ? "Required." : `At least ${small[1]} characters.`;
  const big = /too big.*<=\s*(\d+)\s*characters/i.exec(message);
  if (big) return `At most ${big[1]} characters.`;
  const text = message.trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : ".") : "Invalid.";
}

/**
 * The server's refusal of `updateProfile`, by field. `invalid_input` messages read "0.name: Too small…; 0.photo: …"
 * (argument position, then field); a refusal without a field while a photo was sent is about the photo.
 */
export function serverFieldErrors(code: string, message: string, sentPhoto: boolean): { fields: Record<string, string>; general: string | null } {
  const fields: Record<string, string> = {};
  if (code === "payload_too_large") {
    return sentPhoto ? { fields: { photo: message ? humanize(message) : "This photo is too large." }, general: null } : { fields, general: "Too large." };
  }
  if (code === "conflict") return { fields: { username: humanize(message || "This username is taken") }, general: null };
  if (code !== "invalid_input") {
    return { fields, general: code === "rate_limited" ? "Too many changes at once; try again in a moment." : "The profile could not be saved. Try again." };
  }
  const rest: string[] = [];
  for (const part of message.split(/;\s*/)) {
    const match = /^0\.([A-Za-z_]+)(?:\.[^:]*)?:\s*(.*)$/.exec(part);
    if (match && !fields[match[1]!]) fields[match[1]!] = humanize(match[2]!);
    else if (!match && part.trim()) rest.push(part);
  }
  if (rest.length && sentPhoto && !fields["photo"]) fields["photo"] = humanize(rest.join("; "));
  else if (rest.length) return { fields, general: humanize(rest.join("; ")) };
  return { fields, general: null };
}
