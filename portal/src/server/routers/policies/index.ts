import { router } from "../../trpc.js";
import { catalog } from "./catalog.js";

export const policiesRouter = router({ catalog });
