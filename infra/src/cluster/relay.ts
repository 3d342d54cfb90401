// A TCP relay on the node's bridge address to a service that listens on loopback only (the local
// control plane's API server, the machine's PostgreSQL), so pods can reach it without the service
// listening on another address of the machine or being restarted with a new configuration.

import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface Relay {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on `host` (an ephemeral port) and pipes every connection to `target`. */
export function tcpRelay(host: string, target: { host: string; port: number }): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = createConnection(target);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
