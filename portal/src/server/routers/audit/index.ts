import { router } from "../../trpc.js";
import { acknowledgeBreak } from "./acknowledgeBreak.js";
import { anchor } from "./anchor.js";
import { checkAnchor } from "./checkAnchor.js";
import { search } from "./search.js";
import { verify } from "./verify.js";

export const auditRouter = router({ search, verify, anchor, checkAnchor, acknowledgeBreak });
