// The bare Socket.IO relay: the transport's own ceiling. One room per user, `dm` forwarded to the recipient's room,
// `group` to the group's room, the sender acknowledged. No auth, validation or storage. Prints "relay listening <port>".
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 0);
const http = createServer();
const io = new Server(http, { serveClient: false });
io.on("connection", (socket) => {
  const user = String(socket.handshake.auth["user"] ?? "");
  void socket.join(user);
  // The bootstrap a Telegraph client gets, in its barest form, so connect-storm compares like with like.
  socket.emit("ready", {});
  socket.on("dm", (message: { to: string }, ack?: (reply: unknown) => void) => {
    io.to(message.to).emit("dm", message);
    ack?.({ ok: true, data: message });
  });
  // Group chats: a client joins its group's room, and a message goes to the room but for the sender's socket.
  socket.on("join", (room: string, ack?: (reply: unknown) => void) => {
    void socket.join(room);
    ack?.({ ok: true });
  });
  socket.on("group", (message: { group: string }, ack?: (reply: unknown) => void) => {
    socket.to(message.group).emit("group", message);
    ack?.({ ok: true, data: message });
  });
  socket.on("ping", (ack?: (reply: unknown) => void) => ack?.({ ok: true }));
});
http.listen(port, "127.0.0.1", () => {
  const address = http.address();
  console.log(`relay listening ${typeof address === "object" && address ? address.port : port}`);
});
process.on("SIGTERM", () => process.exit(0));
