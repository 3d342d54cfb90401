/**
 * A minimal browser for walking redirect flows over real HTTP: fetch with manual redirects and a
 * cookie jar that, like a browser, keys cookies by host name (not port) and honours Path,
 * Max-Age and Expires.
 */

export interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires: number | undefined;
  attributes: Map<string, string | true>;
}

export function parseSetCookie(header: string): StoredCookie {
  const [pair = "", ...parts] = header.split(";");
  const eq = pair.indexOf("=");
  const attributes = new Map<string, string | true>();
  for (const part of parts) {
    const i = part.indexOf("=");
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (key) attributes.set(key, i < 0 ? true : part.slice(i + 1).trim());
  }
  const maxAge = attributes.get("max-age");
  const expiresAt = attributes.get("expires");
  const expires = typeof maxAge === "string" ? Date.now() + Number(maxAge) * 1000 : typeof expiresAt === "string" ? Date.parse(expiresAt) : undefined;
  const path = attributes.get("path");
  return {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    path: typeof path === "string" && path.startsWith("/") ? path : "",
    expires,
    attributes,
  };
}

const pathMatches = (cookiePath: string, requestPath: string) =>
  requestPath === cookiePath || (requestPath.startsWith(cookiePath) && (cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/"));

export class Browser {
  /** host name → "name;path" → cookie */
  readonly jar = new Map<string, Map<string, StoredCookie>>();

  cookie(url: string | URL, name: string): StoredCookie | undefined {
    const u = new URL(url);
    return [...(this.jar.get(u.hostname)?.values() ?? [])].find((c) => c.name === name && pathMatches(c.path, u.pathname) && !this.expired(c));
  }

  setCookie(url: string | URL, name: string, value: string, path = "/"): void {
    this.store(new URL(url), { name, value, path, expires: undefined, attributes: new Map() });
  }

  /** One request, no redirect following; stores the cookies the response sets. */
  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const headers = new Headers(init.headers);
    const cookies = [...(this.jar.get(u.hostname)?.values() ?? [])].filter((c) => pathMatches(c.path, u.pathname) && !this.expired(c));
    if (cookies.length) headers.set("cookie", cookies.map((c) => `${c.name}=${c.value}`).join("; "));
    const res = await fetch(u, { ...init, headers, redirect: "manual" });
    for (const header of res.headers.getSetCookie()) this.store(u, parseSetCookie(header));
    return res;
  }

  /**
   * Follows redirects until a response that is not a redirect, or until `stopAt` matches the next
   * location (that location is returned without being requested). Returns every hop.
   */
  async follow(url: string | URL, stopAt?: (next: URL) => boolean, maxHops = 20): Promise<{ hops: { url: URL; response: Response }[]; stoppedAt?: URL }> {
    const hops: { url: URL; response: Response }[] = [];
    let next = new URL(url);
    for (let i = 0; i < maxHops; i++) {
      const response = await this.request(next);
      hops.push({ url: next, response });
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { hops };
      await response.body?.cancel();
      next = new URL(location, next);
      if (stopAt?.(next)) return { hops, stoppedAt: next };
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }

  private expired(c: StoredCookie): boolean {
    return c.expires !== undefined && c.expires <= Date.now();
  }

  private store(u: URL, c: StoredCookie): void {
    const byHost = this.jar.get(u.hostname) ?? new Map<string, StoredCookie>();
    this.jar.set(u.hostname, byHost);
    // RFC 6265 §5.1.4: without a Path attribute the cookie belongs to the request's directory.
    if (!c.path) c.path = u.pathname.lastIndexOf("/") > 0 ? u.pathname.slice(0, u.pathname.lastIndexOf("/")) : "/";
    const key = `${c.name};${c.path}`;
    if (this.expired(c)) byHost.delete(key);
    else byHost.set(key, c);
  }
}
