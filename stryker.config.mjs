// StrykerJS configuration: mutates the port (impl/) and runs the port's
// unit tests and the property suite against each mutant. docs/mutation-testing.md
// has the latest score and explains each surviving mutant.

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "stryker/vitest.config.mjs" },
  plugins: ["@stryker-mutator/vitest-runner", "./stryker/seeded-bug-ignorer.mjs"],
  // The seeded-bug switches run only in the seeded-bug kill tests.
  ignorers: ["seeded-bug-switch"],
  mutate: [
    "impl/**/*.ts",
    // The seeded-bug catalogue and the code that only seeded bugs run.
    "!impl/variants.ts",
    "!impl/mutants/**",
    // The checker's read-only view of the port and the unit tests' driver:
    // a mutant there changes what the tests see, not what the port does.
    "!impl/observe.ts",
    "!impl/sequential.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ["clear-text", "progress", "html", "json"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  // StrykerJS rewrites the tsconfig's `extends` and `references` paths for
  // its sandbox through the TypeScript JS API, which TypeScript 7 (the native
  // compiler) no longer ships. This project's tsconfig.json has neither, and
  // vitest does not read it, so StrykerJS is pointed at a file that does not
  // exist and leaves the tsconfig alone.
  tsconfigFile: "stryker/tsconfig-not-rewritten.json",
};
