/**
 * Regenerates model/diagram.mmd from the node machine:
 *   npx tsx model/write-diagram.ts
 * A test fails while the committed file differs from modelAsMermaid().
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { modelAsMermaid } from "./diagram.ts";

/** Path of the committed diagram. */
export const DIAGRAM_PATH = fileURLToPath(new URL("./diagram.mmd", import.meta.url));

/** Writes the diagram file and returns its path. */
export function writeDiagram(path: string = DIAGRAM_PATH): string {
  writeFileSync(path, modelAsMermaid());
  return path;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${writeDiagram()}`);
}
