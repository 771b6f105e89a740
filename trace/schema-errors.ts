/**
 * Validates a parsed trace against trace.schema.json with ajv and turns the
 * first failure into a one-line message: the JSON path, the value, the rule
 * and the fix, such as `/config/cpus is 9, must be 1 to 8; lower it or
 * regenerate the trace`.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { AnySchemaObject, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { describeJsonValue, quoteString } from "../cli/errors.ts";

const SCHEMA_URL = new URL("./trace.schema.json", import.meta.url);

/** Reads trace.schema.json, which ships beside this module. */
export function readTraceSchema(): AnySchemaObject {
  return JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as AnySchemaObject;
}

let compiledValidator: ValidateFunction | null = null;

function traceValidator(): ValidateFunction {
  if (compiledValidator === null) {
    // verbose adds the failing value and its schema to each error, which the messages quote.
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, verbose: true });
    compiledValidator = ajv.compile(readTraceSchema());
  }
  return compiledValidator;
}

/**
 * Returns a one-line description of the first way `value` breaks the schema,
 * without the file name, or null when it conforms.
 */
export function findSchemaProblem(value: unknown): string | null {
  const validate = traceValidator();
  if (validate(value)) return null;
  const errors = validate.errors ?? [];
  const specific = errors.find((error) => !WRAPPER_KEYWORDS.has(error.keyword)) ?? errors[0];
  if (specific === undefined) return "does not match the trace schema; regenerate the trace";
  return describeSchemaError(specific);
}

/**
 * Keywords whose errors only repeat that a subschema failed. ajv reports the
 * subschema's own error first, so it is the one to show.
 */
const WRAPPER_KEYWORDS = new Set(["if", "then", "else", "allOf", "anyOf", "oneOf", "not", "propertyNames", "$ref"]);

const REGENERATE = "regenerate the trace";

function describeSchemaError(error: ErrorObject): string {
  const path = renderPointer(error.instancePath);
  const parent = error.parentSchema ?? {};
  const value = describeJsonValue(error.data);

  switch (error.keyword) {
    case "required": {
      const missing = String(error.params.missingProperty);
      return `${renderPointer(`${error.instancePath}/${escapePointerSegment(missing)}`)} is missing; add it or ${REGENERATE}`;
    }
    case "additionalProperties": {
      const extra = String(error.params.additionalProperty);
      const known = Object.keys((parent.properties as Record<string, unknown> | undefined) ?? {});
      return `${renderPointer(`${error.instancePath}/${escapePointerSegment(extra)}`)} is not a known field; remove it or use ${listWords(known)}`;
    }
    case "type":
      return `${path} is ${value}, must be ${typeWords(error.params.type)}; fix it or ${REGENERATE}`;
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      return `${path} ${value} is not ${withArticle(titleOf(parent, "allowed value"))}; use ${listWords(allowed)}`;
    }
    case "const":
      return `${path} is ${value}, must be ${JSON.stringify(error.params.allowedValue)}; fix it or ${REGENERATE}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const direction = error.keyword.endsWith("inimum") ? "raise" : "lower";
      return `${path} is ${value}, must be ${rangeWords(parent)}; ${direction} it or ${REGENERATE}`;
    }
    case "minLength":
      return `${path} is an empty string; write ${withArticle(titleOf(parent, "value"))} or ${REGENERATE}`;
    case "maxItems":
    case "minItems": {
      const items = Array.isArray(error.data) ? error.data.length : 0;
      const bound = error.keyword === "maxItems" ? `at most ${error.params.limit}` : `at least ${error.params.limit}`;
      return `${path} has ${items} items, must have ${bound}; fix it or ${REGENERATE}`;
    }
    case "pattern": {
      if (error.propertyName !== undefined) {
        return `${path} key ${quoteString(error.propertyName)} is not a decimal integer from 0 to 2147483647; write keys such as "3" or ${REGENERATE}`;
      }
      return `${path} is ${value}, must match ${error.params.pattern}; fix it or ${REGENERATE}`;
    }
    default:
      return `${path} ${error.message ?? "is invalid"}; fix it or ${REGENERATE}`;
  }
}

/** Maximum length of a pointer segment in a message, in UTF-16 code units; longer ones are cut short with "…". */
const MAX_SEGMENT_LENGTH = 40;

/** Renders a JSON pointer for a message, cutting long segments; the root is "the top level". */
export function renderPointer(pointer: string): string {
  if (pointer === "") return "the top level";
  return pointer
    .split("/")
    .map((segment) => (segment.length > MAX_SEGMENT_LENGTH ? `${segment.slice(0, MAX_SEGMENT_LENGTH)}…` : segment))
    .join("/");
}

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function titleOf(schema: AnySchemaObject, fallback: string): string {
  return typeof schema.title === "string" ? schema.title : fallback;
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "an array",
  object: "an object",
  null: "null",
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(",");
  return listWords(types.map((name) => TYPE_WORDS[name] ?? name), "or");
}

function rangeWords(schema: AnySchemaObject): string {
  const min = typeof schema.minimum === "number" ? schema.minimum : null;
  const max = typeof schema.maximum === "number" ? schema.maximum : null;
  if (min !== null && max !== null) return `${min} to ${max}`;
  if (min !== null) return `at least ${min}`;
  if (max !== null) return `at most ${max}`;
  return "in range";
}

/** Joins words as "a, b or c". */
export function listWords(words: readonly string[], conjunction = "or"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]}`;
}
