/** The audit page's own query key for the trail (it pages by sequence number, outside the tRPC keys). */
export const AUDIT_SEARCH_KEY = ["audit.search"] as const;
