import { router } from "../../trpc.js";
import { summary } from "./summary.js";

export const ratingsRouter = router({ summary });
