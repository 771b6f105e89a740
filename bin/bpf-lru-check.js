#!/usr/bin/env node
// Entry point of the bpf-lru-check command. The sources are TypeScript, run
// through tsx's loader so that `npx bpf-lru-check` works right after
// `npm install` with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
