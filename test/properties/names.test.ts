import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROPERTY_NAMES } from "../../properties/names.ts";

const ROOT = join(import.meta.dirname, "..", "..");

describe("property names", () => {
  it("match the README's property table", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const table = [...readme.matchAll(/^\| `([a-z-]+)` \| /gm)].map((match) => match[1]);
    for (const name of PROPERTY_NAMES) expect(table, `README lacks ${name}`).toContain(name);
  });

  it("cover every property the sources raise", () => {
    const raised = new Set<string>();
    for (const file of ["harness/points.ts", "harness/engine.ts", "properties/structure.ts", "properties/map-semantics.ts", "properties/progress.ts", "properties/lock-order.ts", "properties/batching.ts", "model/refinement.ts", "impl/list.ts"]) {
      const text = readFileSync(join(ROOT, file), "utf8");
      for (const match of text.matchAll(/(?:SubjectFault\(\s*|fail\(|property: )"([a-z-]+)"/g)) raised.add(match[1]);
    }
    expect(raised.size).toBeGreaterThan(15);
    for (const name of raised) expect(PROPERTY_NAMES as readonly string[], `${name} is raised but not listed`).toContain(name);
  });
});
