import { useQuery } from "@tanstack/react-query";
import { Result } from "antd";
import { type ReactNode, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { CurrentUserContext } from "../api/current-user.js";
import { isUnauthorized } from "../api/errors.js";
import { session } from "../api/session.js";
import { trpc } from "../api/trpc.js";
import { ErrorAlert } from "./ErrorAlert.js";
import { Loading } from "./Loading.js";

/** Renders its children for a signed-in person; otherwise SessionWatcher sends them to /login. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 });
  useEffect(() => {
    if (me.data) session.markSignedIn();
  }, [me.data]);
  if (me.data) return <CurrentUserContext.Provider value={me.data}>{children}</CurrentUserContext.Provider>;
  if (me.error && !isUnauthorized(me.error))
    return (
      <Result status="warning" title={t("error.title")}>
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </Result>
    );
  return <Loading tall />;
}
