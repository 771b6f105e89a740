/** Assertions shared by the tests of every InputError the trace and CLI modules raise. */
import { expect } from "vitest";
import { InputError } from "../../cli/errors.ts";

/** Line breaks of any kind that would split a message over two lines of a terminal or log. */
export const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;

/** Runs `action` and returns the InputError it throws, failing the test if it throws anything else or nothing. */
export function catchInputError(action: () => unknown): InputError {
  let thrown: unknown = undefined;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, "expected an InputError").toBeInstanceOf(InputError);
  return thrown as InputError;
}

/** Asserts that `action` throws an InputError with exactly `message`, on one line, with exit code 2. */
export function expectInputError(action: () => unknown, message: string): void {
  const error = catchInputError(action);
  expect(error.message).toBe(message);
  expect(error.message).not.toMatch(LINE_BREAK);
  expect(error.exitCode).toBe(2);
}

/** Returns a deep copy of a JSON value, as a mutable plain object tree. */
export function jsonCopy<T>(value: T): any {
  return JSON.parse(JSON.stringify(value));
}
