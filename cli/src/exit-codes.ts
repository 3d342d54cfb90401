/** Exit codes scripts can rely on. */
export const EXIT = {
  OK: 0,
  /** Anything else: the portal unreachable, an internal error. */
  ERROR: 1,
  /** Wrong command line, or input the portal refused as invalid (400). */
  USAGE: 2,
  /** Not logged in, or the token is expired or revoked (401). */
  AUTH: 3,
  /** Not found, or not permitted for the caller's role or department (403, 404). */
  NOT_FOUND_OR_FORBIDDEN: 4,
  /** Refused by the workflow: wrong state, conflict, over a ceiling or capacity (409, 422). */
  REFUSED: 5,
  /** `watch`: the request ended failed, rejected, withdrawn or expired; `audit verify`: the chain is broken. */
  FAILED: 6,
} as const;

export function exitCodeForStatus(status: number): number {
  if (status === 400) return EXIT.USAGE;
  if (status === 401) return EXIT.AUTH;
  if (status === 403 || status === 404) return EXIT.NOT_FOUND_OR_FORBIDDEN;
  if (status === 409 || status === 422) return EXIT.REFUSED;
  return EXIT.ERROR;
}
