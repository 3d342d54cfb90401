import { useQuery } from "@tanstack/react-query";
import { trpc } from "./trpc.js";

/**
 * The MLPS control catalog from the server; with a zone, parameters as they take effect there.
 * It changes only with a new server version, so one fetch per zone lasts the visit;
 * switching zones keeps showing the previous one until the next arrives.
 */
export function usePolicyCatalog(zone?: "internal" | "external") {
  return useQuery({
    ...trpc.policies.catalog.queryOptions(zone ? { zone } : {}),
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: (previous) => previous,
  });
}
