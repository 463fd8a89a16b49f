// Placeholder from the shell skeleton; replaced by the screen's own implementation.
/** A person's presence: an online dot, or "last seen …" as the server allows. */
export function Presence({ userId }: { userId: string; variant?: "dot" | "text" }) {
  return <span data-user={userId} hidden />;
}
