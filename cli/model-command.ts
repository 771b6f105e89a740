/** `bpf-lru-check model`: prints the node-lifecycle machine as Mermaid or as JSON for Stately's tools. */
import { parseModelOptions } from "./options.ts";
import { modelAsJson, modelAsMermaid } from "../model/diagram.ts";

export function runModelCommand(raw: Record<string, unknown>): number {
  const options = parseModelOptions(raw);
  const text = options.format === "mermaid" ? modelAsMermaid() : `${modelAsJson()}\n`;
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}
