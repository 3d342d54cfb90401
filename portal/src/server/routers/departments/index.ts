import { router } from "../../trpc.js";
import { list } from "./list.js";
import { overview } from "./overview.js";
import { setCeiling } from "./set-ceiling.js";

export const departmentsRouter = router({ list, overview, setCeiling });
