export { applyAll, mapLimit, waitFor, waitForNamespaceReady } from "./apply.js";
export { apiErrorCode, apiErrorMessage, FIELD_MANAGER, Kube, loadKubeConfig, type ObjectHeader } from "./client.js";
