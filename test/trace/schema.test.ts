import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { ERRNO, OP_NAMES } from "../../checker/types.ts";
import { TRACE_FORMAT, TRACE_VERSION } from "../../trace/format.ts";
import { CONFIG_LIMITS, KEY_RANGE, RUN_RANGE, SEED_RANGE, VALUE_RANGE } from "../../trace/limits.ts";
import { findSchemaProblem, readTraceSchema } from "../../trace/schema-errors.ts";
import { sampleTraces } from "./trace-builder.ts";

const schema = readTraceSchema();
const definitions = schema.$defs;

describe("trace.schema.json", () => {
  it("compiles under ajv strict mode", () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it("accepts the sample traces", () => {
    for (const trace of sampleTraces()) expect(findSchemaProblem(trace)).toBeNull();
  });

  it("matches the format constants of format.ts", () => {
    expect(schema.properties.format.const).toBe(TRACE_FORMAT);
    expect(schema.properties.version.const).toBe(TRACE_VERSION);
  });

  it("matches the configuration limits", () => {
    for (const [field, range] of Object.entries(CONFIG_LIMITS)) {
      const property = definitions.config.properties[field];
      expect({ field, min: property.minimum, max: property.maximum }).toEqual({ field, ...range });
    }
    expect(schema.properties.programs.maxItems).toBe(CONFIG_LIMITS.cpus.max);
    expect(definitions.expectation.properties.results.maxItems).toBe(CONFIG_LIMITS.cpus.max);
  });

  it("matches the key, value, seed and run ranges", () => {
    const int32 = { min: definitions.int32.minimum, max: definitions.int32.maximum };
    expect(int32).toEqual(KEY_RANGE);
    expect(int32).toEqual(VALUE_RANGE);
    expect(int32).toEqual(SEED_RANGE);
    expect(int32).toEqual(RUN_RANGE);
    for (const field of ["key", "value"]) expect(definitions.updateOp.properties[field].$ref).toBe("#/$defs/int32");
    for (const field of ["seed", "run"]) expect(definitions.origin.properties[field].$ref).toBe("#/$defs/int32");
  });

  it("matches the operation and errno names of checker/types.ts", () => {
    expect(definitions.mapOp.properties.op.enum).toEqual(OP_NAMES);
    expect(definitions.opResult.then.enum).toEqual(Object.keys(ERRNO));
  });

  it("documents every field with a title and a description", () => {
    const undocumented: string[] = [];
    const visit = (node: any, path: string): void => {
      if (node === null || typeof node !== "object") return;
      for (const [name, property] of Object.entries<any>(node.properties ?? {})) {
        const ownPath = `${path}/${name}`;
        // A field that only refers to a definition takes its title and description from there.
        const documented = property.$ref !== undefined && Object.keys(property).length === 1;
        if (!documented && (typeof property.title !== "string" || typeof property.description !== "string")) {
          undocumented.push(ownPath);
        }
        visit(property, ownPath);
      }
    };
    visit(schema, "");
    for (const [name, definition] of Object.entries<any>(definitions)) {
      if (typeof definition.title !== "string" || typeof definition.description !== "string") undocumented.push(`$defs/${name}`);
      visit(definition, `$defs/${name}`);
    }
    expect(undocumented).toEqual([]);
  });
});
