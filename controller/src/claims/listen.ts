// LISTEN zhengyun_allocations: the portal's trigger announces every new generation, so work starts
// without waiting for the periodic resync. Reconnects after a lost connection.

import { ALLOCATIONS_CHANNEL } from "@zhengyun/db/client";
import pg from "pg";

export const CHANNEL = ALLOCATIONS_CHANNEL;

export interface Listener {
  close(): Promise<void>;
}

export function listen(connectionString: string, onNotify: (systemId: string) => void, onError: (err: Error) => void, retryMs = 2_000): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString });
    client = c;
    c.on("notification", (msg) => {
      if (msg.channel === CHANNEL && msg.payload) onNotify(msg.payload);
    });
    c.on("error", (err) => {
      onError(err);
      reconnect(c);
    });
    c.on("end", () => reconnect(c));
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
      // Anything announced while we were not listening is found by the caller's next claim.
      onNotify("");
    } catch (err) {
      onError(err as Error);
      reconnect(c);
    }
  };

  const reconnect = (c: pg.Client) => {
    if (closed || client !== c) return;
    client = undefined;
    c.end().catch(() => undefined);
    timer = setTimeout(() => void connect(), retryMs);
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
