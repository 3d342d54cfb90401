export * from "./objects.js";
export * from "./platform-baseline.js";
export * from "./platform-objects.js";
export * from "./provider.js";
export * from "./render.js";
export * from "./tenant-objects.js";
export * from "./tenant-system.js";
