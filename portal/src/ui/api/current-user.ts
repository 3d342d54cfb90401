import { createContext, useContext } from "react";
import type { RouterOutputs } from "./trpc.js";

export type CurrentUser = RouterOutputs["auth"]["me"];

export const CurrentUserContext = createContext<CurrentUser | null>(null);

/** The signed-in person; only used below RequireAuth, which provides it. */
export function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser outside RequireAuth");
  return user;
}
