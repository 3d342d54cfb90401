import { router } from "../../trpc.js";
import { search } from "./search.js";
import { verify } from "./verify.js";

export const auditRouter = router({ search, verify });
