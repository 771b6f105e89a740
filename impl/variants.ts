/**
 * Named behaviours of the port. "rfc" is the RFC exactly as posted; every
 * other variant is one explicit correction, and the only place the port may
 * differ from the RFC.
 */

export interface VariantInfo {
  readonly name: string;
  readonly description: string;
}

export const VARIANTS = [
  { name: "rfc", description: "The RFC as posted, bugs included." },
  {
    name: "steal-sets-cpu",
    description: "__local_list_add_pending also sets node->cpu to the receiving CPU, as the merged kernel does.",
  },
] as const satisfies readonly VariantInfo[];

export type Variant = (typeof VARIANTS)[number]["name"];

export const DEFAULT_VARIANT: Variant = "rfc";

export function isVariant(name: string): name is Variant {
  return VARIANTS.some((variant) => variant.name === name);
}

/**
 * Seeded bugs that the port can switch on, one name per spot in the code
 * that tests `this.mutant === name`. The list starts empty; each mutant is
 * added here together with its spot.
 */
export const MUTANTS: readonly VariantInfo[] = [];

export function isMutant(name: string): boolean {
  return MUTANTS.some((mutant) => mutant.name === name);
}

/**
 * The variant seeded bugs are switched into. It is the RFC with its one
 * known fault fixed, so that a violation under a mutant is the mutant's and
 * not the RFC's own.
 */
export const MUTANT_BASE_VARIANT: Variant = "steal-sets-cpu";
