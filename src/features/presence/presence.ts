/** Who is online: a user is while at least one of their sockets is connected, on any node. */
export interface Presence {
  /** Records a socket; resolves true when the user just came online. */
  connect(userId: string, socketId: string): Promise<boolean>;
  /** Forgets a socket; resolves true when it was the user's last one. */
  disconnect(userId: string, socketId: string): Promise<boolean>;
  /** Which of these users are online. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /** Starts background work (heartbeats) and ends it, withdrawing this node's entries. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Presence for a single node, in memory. The cluster issue adds a shared implementation behind the same interface. */
export class LocalPresence implements Presence {
  private readonly sockets = new Map<string, Set<string>>();

  async connect(userId: string, socketId: string): Promise<boolean> {
    const set = this.sockets.get(userId) ?? new Set<string>();
    set.add(socketId);
    this.sockets.set(userId, set);
    return set.size === 1;
  }

  async disconnect(userId: string, socketId: string): Promise<boolean> {
    const set = this.sockets.get(userId);
    if (!set?.delete(socketId)) return false;
    if (set.size > 0) return false;
    this.sockets.delete(userId);
    return true;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.sockets.has(id)));
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
