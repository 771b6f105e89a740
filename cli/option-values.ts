/**
 * Readers for single option values as commander passes them: a string for
 * an option with a value, true for a flag, undefined when the option is
 * absent. Each reader returns undefined for an absent option, so the caller
 * can tell "not given" from a default, and throws InputError naming the
 * option and the value otherwise.
 *
 * Integers are plain decimal: digits only, without sign, spaces, exponent,
 * separators or leading zeros ("4", "0", "2048"). "4x", "1e3", " 4", "+4",
 * "0x10", "08", "-0" and "" are rejected as not plain integers. "-1" is
 * reported as out of range instead, because no option takes negative
 * numbers. A number (not a string) passes when its decimal form is plain, so
 * programmatic callers may pass 4 instead of "4".
 */
import { InputError, quoteValue } from "./errors.ts";
import type { IntegerRange } from "../trace/limits.ts";

export type RawOptions = Readonly<Record<string, unknown>>;

/** Returns the string value of `flag`, or undefined when it is absent. */
export function readString(raw: RawOptions, key: string, flag: string, metavar: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (value === true) throw new InputError(`${flag} needs a value; use ${flag} ${metavar}`);
  throw new InputError(`${flag} has ${describeRawValue(value)}, not a single value; use ${flag} ${metavar} once`);
}

/** Returns whether the flag was given; commander passes true, or false for a negated flag. */
export function readFlag(raw: RawOptions, key: string, flag: string): boolean {
  const value = raw[key];
  if (value === undefined || value === false) return false;
  if (value === true) return true;
  const shown = typeof value === "string" ? quoteValue(value) : describeRawValue(value);
  throw new InputError(`${flag} takes no value, but got ${shown}; give ${flag} alone`);
}

/** Reads a plain decimal integer within `range`; `example` is shown in the fix of a malformed value. */
export function readInteger(
  raw: RawOptions,
  key: string,
  flag: string,
  range: IntegerRange,
  example: number,
): number | undefined {
  const text = readString(raw, key, flag, "N");
  if (text === undefined) return undefined;
  return parseInteger(text, flag, range, example);
}

/** Parses a plain decimal integer within `range`, as described at the top of this file. */
export function parseInteger(text: string, flag: string, range: IntegerRange, example: number): number {
  const shown = quoteValue(text);
  if (/^(0|[1-9][0-9]*)$/.test(text)) {
    const value = Number(text);
    if (value < range.min || value > range.max) throw outOfRange(flag, shown, range);
    return value;
  }
  if (/^-0*[1-9][0-9]*$/.test(text)) throw outOfRange(flag, shown, range);
  if (/^0[0-9]+$/.test(text)) {
    throw new InputError(`${flag} ${shown} has a leading zero; write it without, such as ${Number(text)}`);
  }
  throw new InputError(`${flag} ${shown} is not a plain decimal integer; write digits only, such as ${example}`);
}

function outOfRange(flag: string, shown: string, range: IntegerRange): InputError {
  return new InputError(`${flag} ${shown} is out of range; use ${range.min} to ${range.max}`);
}

/** Reads a value that must be one of `choices`; `noun` names what the value is, as in "is not a strategy". */
export function readChoice<T extends string>(
  raw: RawOptions,
  key: string,
  flag: string,
  choices: readonly T[],
  noun: string,
): T | undefined {
  const text = readString(raw, key, flag, choices.join("|"));
  if (text === undefined) return undefined;
  const choice = choices.find((candidate) => candidate === text);
  if (choice === undefined) {
    throw new InputError(`${flag} ${quoteValue(text)} is not ${withArticle(noun)}; use ${listChoices(choices)}`);
  }
  return choice;
}

/** Joins choices as "a, b or c". */
export function listChoices(choices: readonly string[]): string {
  if (choices.length <= 1) return choices.join("");
  return `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`;
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeRawValue(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} values`;
  if (value === null) return "the value null";
  return `a value of type ${typeof value}`;
}
