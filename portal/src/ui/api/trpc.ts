import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { AppRouter } from "../../server/router.js";
import { isUnauthorized, shouldRetry } from "./errors.js";
import { session } from "./session.js";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

const onError = (err: unknown) => {
  if (isUnauthorized(err)) session.expired();
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 5_000 },
    mutations: { retry: false },
  },
});

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: "/trpc",
      // A batch names every procedure in one path segment, which Fastify caps at 100 characters
      // by default (maxParamLength); four of the longest names fit. Long inputs split too.
      maxItems: 4,
      maxURLLength: 2000,
      fetch: (url, options) => fetch(url, { ...(options as RequestInit), credentials: "same-origin" }),
    }),
  ],
});

/** Query and mutation options for every procedure, e.g. `useQuery(trpc.auth.me.queryOptions())`. */
export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
