import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Where a push may go. Endpoints come from browsers, i.e. from users: without this, anyone could make the server POST
 * to addresses inside its own network (loopback, private ranges, link-local cloud metadata). Checked when a push is
 * sent, on every address the name resolves to. `PUSH_PRIVATE_ENDPOINTS=allow` lifts it (a push service of one's own
 * on the local network, and the tests' push service on 127.0.0.1).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

function isBlocked(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is checked as what it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ? blocked.check(mapped, "ipv4") : blocked.check(address, "ipv6");
}

/** Null when the endpoint may be pushed to, else why not. */
export async function refusedEndpoint(endpoint: string, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  let host: string;
  try {
    host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return "not a URL";
  }
  if (host === "localhost" || host.endsWith(".localhost")) return "a local address";
  const addresses = isIP(host) ? [host] : await lookup(host, { all: true, verbatim: true }).then((all) => all.map((a) => a.address), () => []);
  if (addresses.length === 0) return "its host does not resolve";
  return addresses.some(isBlocked) ? "a private or local address" : null;
}
