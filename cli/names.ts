import { VARIANTS } from "../impl/variants.ts";
import { MUTANTS } from "../impl/variants.ts";
import type { NameLists } from "./options.ts";

/** Variant and mutant names the options accept. */
export function nameLists(): NameLists {
  return { variants: VARIANTS.map((variant) => variant.name), mutants: MUTANTS.map((mutant) => mutant.name) };
}
