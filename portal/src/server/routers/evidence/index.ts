import { router } from "../../trpc.js";
import { get } from "./get.js";
import { list } from "./list.js";
import { refresh } from "./refresh.js";

export const evidenceRouter = router({ list, get, refresh });
