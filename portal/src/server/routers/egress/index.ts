import { router } from "../../trpc.js";
import { exportCsv } from "./exportCsv.js";
import { list } from "./list.js";
import { system } from "./system.js";
import { verifyDay } from "./verifyDay.js";

export const egressRouter = router({ list, exportCsv, system, verifyDay });
