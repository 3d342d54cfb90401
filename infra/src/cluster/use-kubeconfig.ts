// Vitest setup file of the projects that run against a local cluster: points this worker's
// KUBECONFIG (and every process a test starts) at the cluster of its own project. Two projects
// (`cluster`/`e2e` and `node`) start two clusters in one run; the main process's environment can
// hold only one of them, so each worker takes its project's from `inject`.

import { inject } from "vitest";

process.env.KUBECONFIG = inject("kubeconfig");
