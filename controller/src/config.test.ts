import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const stateDir = mkdtempSync(join(tmpdir(), "zy-config-"));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const base = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", ZHENGYUN_CONTROLLER_STATE_DIR: stateDir, PULUMI_CONFIG_PASSPHRASE: "x" };

describe("controller configuration", () => {
  it("takes the defaults and well-formed numbers", () => {
    expect(loadConfig(base)).toMatchObject({ concurrency: 2, failRequestAfter: 5, port: 9464 });
    expect(loadConfig({ ...base, ZHENGYUN_CONTROLLER_CONCURRENCY: "8", ZHENGYUN_CONTROLLER_PORT: "0" })).toMatchObject({ concurrency: 8, port: 0 });
  });

  it.each([
    ["ZHENGYUN_CONTROLLER_CONCURRENCY", "4x"],
    ["ZHENGYUN_CONTROLLER_CONCURRENCY", "0"],
    ["ZHENGYUN_CONTROLLER_CONCURRENCY", "2.5"],
    ["ZHENGYUN_FAIL_REQUEST_AFTER", "five"],
    ["ZHENGYUN_CONTROLLER_PORT", "70000"],
    ["ZHENGYUN_LEASE_TTL_MS", "1m"],
  ])("refuses %s=%s at start, naming the variable", (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(name);
  });
});
