import { describe, expect, it } from "vitest";
import { orphanedPlugins, type ProcessInfo } from "./orphans.js";

const bin = "/root/.cache/zhengyun/toolchain/abc/bin";
const p = (pid: number, ppid: number, exe: string, uid = 0): ProcessInfo => ({ pid, ppid, uid, exe });

describe("orphanedPlugins", () => {
  it("picks plugins of this user whose engine is gone and nothing else", () => {
    const processes = [
      p(10, 1, `${bin}/pulumi-resource-kubernetes`), // orphan
      p(11, 1, `${bin}/pulumi-language-nodejs (deleted)`), // orphan whose binary was rebuilt
      p(12, 40, `${bin}/pulumi-resource-kubernetes`), // its engine (pid 40) still runs it
      p(13, 1, `${bin}/pulumi-resource-kubernetes`, 1000), // another user's
      p(14, 1, `${bin}/pulumi`), // an engine, not a plugin
      p(15, 1, "/usr/bin/kube-apiserver"),
      p(16, 1, ""), // unreadable
      p(17, 50, `${bin}/pulumi-resource-kubernetes`), // adopted by a subreaper (pid 50)
      p(18, 41, `${bin}/pulumi-language-nodejs`), // its engine's binary was rebuilt meanwhile
      p(40, 30, `${bin}/pulumi`),
      p(41, 30, `${bin}/pulumi (deleted)`),
      p(50, 1, "/usr/bin/tini"),
    ];
    expect(orphanedPlugins(processes, 0).map((x) => x.pid)).toEqual([10, 11, 17]);
    expect(orphanedPlugins(processes, 1000).map((x) => x.pid)).toEqual([13]);
    expect(orphanedPlugins([], 0)).toEqual([]);
  });
});
