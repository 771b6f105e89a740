#!/usr/bin/env node
// Runs a TypeScript file of this package through tsx's loader: node bin/run-ts.js FILE [ARGS...].
import { register } from "tsx/esm/api";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

register();
const [file, ...rest] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: node bin/run-ts.js FILE.ts [ARGS...]");
  process.exit(2);
}
process.argv = [process.argv[0], resolve(file), ...rest];
await import(pathToFileURL(resolve(file)).href);
