import type { SystemActor } from "./audit/vocabulary.js";
import type { Db } from "./client.js";
import type { Role } from "./schema/enums.js";

/** The signed-in person a service acts for. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  departmentId: string;
  roles: Role[];
  /** Set when the caller authenticated with an API token: the token acts with only its roles. */
  token?: { id: string; name: string };
}

/** What every service call receives: the database, who acts and in which role, and a correlation id. */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  /** The role under which the procedure admitted the caller; recorded in the audit trail. */
  role: Role;
  correlationId: string;
  now: () => Date;
  /** The highest protection level the platform hosts; ZHENGYUN_MAX_LEVEL (default 4) when absent. */
  maxLevel?: number;
}

/** The platform acting on its own (controller, expiry); audited under this name. */
export const PLATFORM_ACTOR_NAME: SystemActor = "platform";
