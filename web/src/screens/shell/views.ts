/** What the signed-in shell shows for a path. Chats keep `/` and `/chat/:id` (part 1); the rest are social screens. */
export type View =
  | { kind: "chats"; userId?: string; groupId?: string }
  | { kind: "settings" }
  | { kind: "edit-profile" }
  | { kind: "blocked" }
  | { kind: "home" }
  | { kind: "tweet"; id: string }
  | { kind: "profile"; username?: string; userId?: string }
  | { kind: "followers" | "following"; username: string }
  | { kind: "requests" }
  | { kind: "search" }
  | { kind: "notifications" }
  | { kind: "moderation"; tab: "reports" | "log" };

export function parseView(path: string): View {
  const parts = path.split("/").filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const [first = "", second, third] = parts;
  if (first === "chat" && second) return { kind: "chats", userId: second };
  if (first === "group" && second) return { kind: "chats", groupId: second };
  if (first === "settings") return second === "profile" ? { kind: "edit-profile" } : second === "blocked" ? { kind: "blocked" } : { kind: "settings" };
  if (first === "home") return { kind: "home" };
  if (first === "tweet" && second) return { kind: "tweet", id: second };
  if (first === "user" && second) return { kind: "profile", userId: second };
  if (first.startsWith("@") && first.length > 1) {
    const username = first.slice(1).toLowerCase();
    if (third === undefined && (second === "followers" || second === "following")) return { kind: second, username };
    return { kind: "profile", username };
  }
  if (first === "requests") return { kind: "requests" };
  if (first === "search") return { kind: "search" };
  if (first === "notifications") return { kind: "notifications" };
  if (first === "moderation") return { kind: "moderation", tab: second === "log" ? "log" : "reports" };
  return { kind: "chats" };
}

/** The path of a person's profile (by username when known). */
export function profilePath(user: { username?: string | null; user_id?: string }): string {
  return user.username ? `/@${encodeURIComponent(user.username)}` : `/user/${encodeURIComponent(user.user_id ?? "")}`;
}

/** The name said to screen readers when the view changes, and used for the page heading fallbacks. */
export function viewName(view: View): string {
  switch (view.kind) {
    case "chats":
      return view.userId ? "Conversation" : view.groupId ? "Group" : "Chats";
    case "settings":
      return "Settings";
    case "edit-profile":
      return "Edit profile";
    case "blocked":
      return "Blocked users";
    case "home":
      return "Home";
    case "tweet":
      return "Post";
    case "profile":
      return "Profile";
    case "followers":
      return "Followers";
    case "following":
      return "Following";
    case "requests":
      return "Follow requests";
    case "search":
      return "Search";
    case "notifications":
      return "Notifications";
    case "moderation":
      return view.tab === "log" ? "Moderation log" : "Moderation";
  }
}
