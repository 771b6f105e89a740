// Entry point of a check worker thread. The checker is TypeScript, and on
// Node.js 20 a worker thread does not inherit the module hooks of its parent:
// bin/ registers tsx, and vitest transforms modules in its own module runner.
// So the worker registers tsx's loader itself before importing worker.ts.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
