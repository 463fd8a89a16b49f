/** Who may do what with direct messages. Pure predicates over facts already loaded. */

export interface MessageFacts {
  sender_id: string;
  recipient_id: string;
}

/** A message may be sent to an existing user other than the sender, unless either blocked the other. */
export function canMessage(senderId: string, recipientId: string, relation: { exists: boolean; blocked: boolean }):
  | "ok"
  | "self"
  | "unknown"
  | "blocked" {
  if (senderId === recipientId) return "self";
  if (!relation.exists) return "unknown";
  if (relation.blocked) return "blocked";
  return "ok";
}

/** The two people of a conversation see its messages; nobody else knows they exist. */
export function isParticipant(userId: string, message: MessageFacts): boolean {
  return message.sender_id === userId || message.recipient_id === userId;
}

/** Only the sender edits, and only the sender deletes for everyone. */
export function canEdit(userId: string, message: MessageFacts): boolean {
  return message.sender_id === userId;
}

export function canDeleteForEveryone(userId: string, message: MessageFacts): boolean {
  return message.sender_id === userId;
}
