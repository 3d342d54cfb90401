import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useNavigate } from "react-router";
import { session } from "../api/session.js";

/** The login URL to return to, remembering where the person was. */
export function loginUrl(from: string, expired: boolean): string {
  const params = new URLSearchParams();
  if (expired) params.set("expired", "1");
  if (from && from !== "/" && !from.startsWith("/login")) params.set("next", from);
  const query = params.toString();
  return query ? `/login?${query}` : "/login";
}

/**
 * When any call reports UNAUTHORIZED (the session expired, was revoked, or never existed), drops
 * cached data and goes to the login page, saying why when the person had been signed in.
 */
export function SessionWatcher() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      session.onExpired(() => {
        // Read the location now, not at the last render: a late reply may land after navigating.
        const { pathname, search } = window.location;
        if (pathname === "/login") return;
        const expired = session.wasSignedIn();
        session.markSignedOut();
        queryClient.clear();
        navigate(loginUrl(pathname + search, expired), { replace: true });
      }),
    [navigate, queryClient],
  );
  return null;
}
