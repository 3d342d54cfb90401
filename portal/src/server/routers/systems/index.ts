import { router } from "../../trpc.js";
import { get } from "./get.js";
import { grade } from "./grade.js";
import { list } from "./list.js";
import { register } from "./register.js";
import { setDriftMode } from "./set-drift-mode.js";
import { update } from "./update.js";

export const systemsRouter = router({ register, update, grade, setDriftMode, list, get });
