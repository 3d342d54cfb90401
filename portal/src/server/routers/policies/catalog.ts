import { CONTROL_IDS, FAMILIES, type FamilyId, LEVELS, MECHANISMS, type Mechanism } from "@zhengyun/policies/definitions";
import { z } from "zod";
import { policyCatalog } from "../../../services/policies-service.js";
import { zone } from "../../../shared/schemas.js";
import { signedInProcedure } from "../../trpc.js";

const bilingual = z.object({ zh: z.string(), en: z.string() });
const level = z.literal(LEVELS);
const family = z.enum(Object.keys(FAMILIES) as [FamilyId, ...FamilyId[]]);
const mechanism = z.enum(Object.keys(MECHANISMS) as [Mechanism, ...Mechanism[]]);

/**
 * The MLPS control catalog per protection level. Not secret: everyone signed in may read what the
 * platform enforces. With a zone, parameters are those that take effect in that zone.
 */
export const catalog = signedInProcedure
  .input(z.object({ zone: zone.optional() }).default({}))
  .output(
    z.object({
      levels: z.array(level),
      zone: zone.nullable(),
      families: z.array(z.object({ id: family, title: bilingual })),
      mechanisms: z.array(z.object({ id: mechanism, title: bilingual })),
      controls: z.array(
        z.object({
          id: z.enum(CONTROL_IDS),
          title: bilingual,
          family,
          requirement: bilingual,
          mechanisms: z.array(mechanism),
          exemptible: z.boolean(),
          levels: z.array(
            z.object({
              level,
              summary: bilingual,
              parameters: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]) })),
            }),
          ),
        }),
      ),
    }),
  )
  .query(({ input }) => policyCatalog(input));
