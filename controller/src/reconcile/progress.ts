// Throttled writes of apply progress into the allocation's outputs.

import type { Db } from "@zhengyun/db/client";
import type { Progress } from "../apply/operations.js";
import { writeProgress } from "../status/record.js";

export function progressWriter(db: Db, systemId: string, step: string, everyMs = 500): { onProgress: (p: Progress) => void; flush: () => Promise<void> } {
  let last = 0;
  let pending: Promise<void> = Promise.resolve();
  let latest: Progress | undefined;
  const write = (p: Progress) => {
    pending = pending.then(() => writeProgress(db, systemId, { step, ...p, at: new Date().toISOString() }).catch(() => undefined));
  };
  return {
    onProgress(p) {
      latest = p;
      const now = Date.now();
      if (now - last >= everyMs) {
        last = now;
        write(p);
      }
    },
    async flush() {
      if (latest) write(latest);
      await pending;
    },
  };
}
