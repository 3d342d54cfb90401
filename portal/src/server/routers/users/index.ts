import { router } from "../../trpc.js";
import { create } from "./create.js";
import { list } from "./list.js";
import { setRoles } from "./set-roles.js";
import { setStatus } from "./set-status.js";

export const usersRouter = router({ list, create, setRoles, setStatus });
