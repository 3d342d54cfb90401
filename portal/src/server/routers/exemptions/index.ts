import { router } from "../../trpc.js";
import { grant } from "./grant.js";
import { list } from "./list.js";
import { revoke } from "./revoke.js";

export const exemptionsRouter = router({ grant, revoke, list });
