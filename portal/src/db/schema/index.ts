export * from "./allocations.js";
export * from "./audit.js";
export * from "./enums.js";
export * from "./evidence.js";
export * from "./org.js";
export * from "./reconcile.js";
export * from "./requests.js";
export * from "./systems.js";
