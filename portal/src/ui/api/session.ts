/**
 * Session bookkeeping in the browser. The session itself is an httpOnly cookie the page cannot
 * read; this only remembers that someone was signed in, so a later UNAUTHORIZED can be told
 * apart ("your session expired") from a first visit.
 */
const KEY = "zhengyun.signedIn";

let expiredHandler: (() => void) | null = null;

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export const session = {
  markSignedIn(): void {
    storage()?.setItem(KEY, "1");
  },
  markSignedOut(): void {
    storage()?.removeItem(KEY);
  },
  wasSignedIn(): boolean {
    return storage()?.getItem(KEY) === "1";
  },
  /** Registers what to do when any call reports UNAUTHORIZED; returns an unregister function. */
  onExpired(handler: () => void): () => void {
    expiredHandler = handler;
    return () => {
      if (expiredHandler === handler) expiredHandler = null;
    };
  },
  expired(): void {
    expiredHandler?.();
  },
};
