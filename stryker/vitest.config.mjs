// The tests StrykerJS runs against each mutant of impl/: the port's unit
// tests and the property suite (the checker on the base variant). The
// seeded-bug kill tests are left out: they expect violations, so a mutant
// that breaks the port passes them.
import { fileURLToPath } from "node:url";
import { BaseSequencer } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * Orders the unit tests before the property suite. StrykerJS stops a mutant's
 * run at the first failing test, and a unit test fails in milliseconds where
 * the property suite takes seconds.
 */
class UnitTestsFirstSequencer extends BaseSequencer {
  async sort(files) {
    const isPropertySuite = (file) => (file.moduleId.includes("/test/checker/") ? 1 : 0);
    return [...files].sort((a, b) => isPropertySuite(a) - isPropertySuite(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["test/impl/**/*.test.ts", "test/checker/base-variant.test.ts"],
    sequence: { sequencer: UnitTestsFirstSequencer },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
