// The setting every controller journey starts from: a database of its own, the controller running
// on it with its own state directory, and an organisation (department, people, a system's level).

import type { Controller } from "@zhengyun/controller/controller";
import { isolatedDatabase, startController, stateDir, testConfig } from "@zhengyun/controller/testing/fixtures";
import { makeOrg } from "@zhengyun/portal/test/harness";
import { afterAll, beforeAll } from "vitest";

export interface JourneyOptions {
  /** Prefix of the isolated database's name. */
  databasePrefix?: string;
  /** The organisation's options (`makeOrg`). */
  org?: Parameters<typeof makeOrg>[1];
  /** Settings of the controller other than the test defaults (`testConfig`). */
  config?: Parameters<typeof testConfig>[2];
}

/**
 * Call in a `describe` body: creates the database and the organisation now, starts the controller
 * before the suite's tests and stops it, drops the database and removes the state after them.
 */
export async function controllerJourney(options: JourneyOptions = {}) {
  const isolated = await isolatedDatabase(options.databasePrefix);
  const database = isolated.database;
  let controller: Controller | undefined;
  let state: Awaited<ReturnType<typeof stateDir>> | undefined;

  beforeAll(async () => {
    state = await stateDir();
    controller = await startController(database, testConfig(isolated.url, state.dir, options.config));
  }, 180_000);

  afterAll(async () => {
    await controller?.stop(10_000);
    await isolated.drop();
    await state?.remove();
  }, 60_000);

  const org = await makeOrg(database, options.org);
  return {
    isolated,
    database,
    org,
    /** The running controller (from the suite's start on). */
    controller(): Controller {
      if (!controller) throw new Error("the controller starts before the suite's first test");
      return controller;
    },
  };
}
