/**
 * Errors caused by the user's input: a bad option, a malformed trace file, an
 * output folder that cannot be written. The CLI prints the message alone, with
 * no stack trace, and exits with `exitCode`. Any other exception reaching the
 * CLI is a bug of bpf-lru-check itself.
 */

/** Exit status of a run stopped by invalid input, as with most Unix tools' usage errors. */
export const INPUT_ERROR_EXIT_CODE = 2;

/**
 * An error in the user's input. The message is a single line that names the
 * offending value and the fix. The constructor escapes line breaks and
 * control characters, so even a file name containing a newline keeps the
 * message on one line.
 */
export class InputError extends Error {
  readonly exitCode = INPUT_ERROR_EXIT_CODE;

  constructor(message: string) {
    super(toOneLine(message));
    this.name = "InputError";
  }
}

/** Maximum length of a quoted value in a message, in UTF-16 code units; longer values are cut short with "…". */
const MAX_QUOTED_LENGTH = 60;

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Replaces control characters and line separators with `\uXXXX` escapes (`\n` and friends for the common ones). */
export function toOneLine(text: string): string {
  return text.replace(LINE_BREAKING, (character) => {
    switch (character) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

/**
 * Renders a user-supplied string for a message: bare when it is short
 * printable ASCII without spaces or quotes (`9`, `dfs`), otherwise as a JSON
 * string literal with line breaks escaped, cut to 60 code units with "…".
 */
export function quoteValue(text: string): string {
  if (text.length > 0 && text.length <= MAX_QUOTED_LENGTH && /^[\x21-\x7e]+$/.test(text) && !text.includes('"')) {
    return text;
  }
  return quoteString(text);
}

/** Renders a string as a JSON string literal, escaped to one line, cut to 60 code units with "…". */
export function quoteString(text: string): string {
  const cut = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
  return toOneLine(JSON.stringify(cut));
}

/**
 * Describes a JSON value for a message: numbers and booleans as written,
 * strings quoted, and containers by their type, such as "an array of 3 items".
 */
export function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 1 ? "an array of 1 item" : `an array of ${value.length} items`;
  if (typeof value === "object") return "an object";
  return typeof value;
}
