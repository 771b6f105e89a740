/**
 * Regenerates the files generated from the node machine:
 *   npx tsx model/write-diagram.ts
 * It writes model/diagram.mmd, the diagram and transition table in
 * model/README.md, and the diagram in the project's README.md, each between
 * their marker comments. A test fails while any of
 * them differs from what the machine generates.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { modelAsMarkdownTable, modelAsMermaid } from "./diagram.ts";

/** Path of the committed diagram. */
export const DIAGRAM_PATH = fileURLToPath(new URL("./diagram.mmd", import.meta.url));
/** Path of the model's documentation, which embeds the diagram and the table. */
export const README_PATH = fileURLToPath(new URL("./README.md", import.meta.url));

/** Path of the project's README, which embeds the diagram. */
export const ROOT_README_PATH = fileURLToPath(new URL("../README.md", import.meta.url));

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in `text` with `content`. */
export function replaceSection(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->\n`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no section between "${start.trim()}" and "${end}"`);
  return text.slice(0, from + start.length) + content + text.slice(to);
}

/** Returns the README's text with its generated sections brought up to date. */
export function updatedReadme(text: string): string {
  const withTable = replaceSection(text, "model-table", modelAsMarkdownTable());
  return replaceSection(withTable, "model-diagram", `\`\`\`mermaid\n${modelAsMermaid()}\`\`\`\n`);
}

/** Returns the project README's text with its diagram brought up to date. */
export function updatedRootReadme(text: string): string {
  return replaceSection(text, "model-diagram", `\`\`\`mermaid\n${modelAsMermaid()}\`\`\`\n`);
}

/** Writes the diagram file and the READMEs' generated sections; returns the paths written. */
export function writeGeneratedFiles(): string[] {
  writeFileSync(DIAGRAM_PATH, modelAsMermaid());
  writeFileSync(README_PATH, updatedReadme(readFileSync(README_PATH, "utf8")));
  writeFileSync(ROOT_README_PATH, updatedRootReadme(readFileSync(ROOT_README_PATH, "utf8")));
  return [DIAGRAM_PATH, README_PATH, ROOT_README_PATH];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const path of writeGeneratedFiles()) console.log(`wrote ${path}`);
}
