export { waitFor, waitForNamespaceReady } from "./apply.js";
export { apiErrorMessage, Kube, loadKubeConfig } from "./client.js";
