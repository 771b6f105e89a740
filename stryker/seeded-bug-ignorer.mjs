/**
 * A StrykerJS ignorer for the seeded-bug switches of impl/: each test
 * `x.mutant === "name"` or `x.mutant !== "name"`, a test
 * `x.mutant === "name" && more` that only a seeded bug can pass, and the
 * code that runs only when a seeded bug is switched on (the consequent of
 * an `if` or `?:` whose test only a seeded bug can pass).
 *
 * Those lines are the checker's own test apparatus. With no seeded bug
 * switched on they never run, so a StrykerJS mutant in them could only be
 * killed by the seeded-bug kill tests, not by the properties of the port.
 */
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

/** Returns whether `node` compares `<expr>.mutant` with a string literal using one of `operators`. */
function comparesMutant(node, operators) {
  if (node?.type !== "BinaryExpression" || !operators.includes(node.operator)) return false;
  const { left, right } = node;
  return left.type === "MemberExpression" && left.property.type === "Identifier" && left.property.name === "mutant" && right.type === "StringLiteral";
}

/** Returns whether `node` is true only with a seeded bug switched on: `<expr>.mutant === "..."`, possibly `&& more`. */
function onlySeededBugPasses(node) {
  if (comparesMutant(node, ["==="])) return true;
  return node?.type === "LogicalExpression" && node.operator === "&&" && onlySeededBugPasses(node.left);
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "seeded-bug-switch", {
    shouldIgnore(path) {
      if (comparesMutant(path.node, ["===", "!=="]) || onlySeededBugPasses(path.node)) {
        return "a seeded-bug switch: it compares the seeded-bug name, which is null in every property test";
      }
      const parent = path.parentPath?.node;
      const guarded = (parent?.type === "IfStatement" || parent?.type === "ConditionalExpression") && path.key === "consequent";
      if (guarded && onlySeededBugPasses(parent.test)) return "code that runs only with a seeded bug switched on";
      return undefined;
    },
  }),
];
