import { router } from "../../trpc.js";
import { approve } from "./approve.js";
import { create } from "./create.js";
import { get } from "./get.js";
import { list } from "./list.js";
import { queue } from "./queue.js";
import { rate } from "./rate.js";
import { reject } from "./reject.js";
import { submit } from "./submit.js";
import { withdraw } from "./withdraw.js";

export const requestsRouter = router({ create, submit, withdraw, approve, reject, list, queue, get, rate });
