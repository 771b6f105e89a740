/**
 * Finds where a text stops being JSON (RFC 8259), for error messages that
 * point at a line and column. JSON.parse reports positions differently from
 * one Node.js release to the next and sometimes quotes the input, so the
 * loader calls this scanner instead. It accepts exactly what JSON.parse
 * accepts, and uses an explicit stack so that deeply nested input cannot
 * overflow the call stack.
 */

export interface JsonSyntaxError {
  /** Description of the fault at the position, such as `unexpected "}"`. */
  readonly problem: string;
  /** 1-based line; lines end at "\n". */
  readonly line: number;
  /** 1-based column in UTF-16 code units. */
  readonly column: number;
}

class SyntaxProblem {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

/** Returns the first syntax error of `text`, or null when `text` is one valid JSON value. */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    new JsonScanner(text).scanDocument();
    return null;
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return { problem: error.problem, ...lineAndColumn(text, error.offset) };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const ESCAPABLE = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

class JsonScanner {
  private position = 0;

  constructor(private readonly text: string) {}

  /**
   * Scans one value and the whitespace around it. `containers` is the stack of
   * open objects and arrays. After each complete value the loop closes a
   * container, moves to the next element, or ends the document.
   */
  scanDocument(): void {
    const containers: ("{" | "[")[] = [];
    let expectValue = true;

    for (;;) {
      this.skipWhitespace();

      if (expectValue) {
        const opened = this.scanValueOrOpen();
        if (opened === null) {
          expectValue = false;
          continue;
        }
        this.skipWhitespace();
        const closing = opened === "{" ? "}" : "]";
        if (this.peek() === closing) {
          this.position++;
          expectValue = false;
          continue;
        }
        containers.push(opened);
        if (opened === "{") this.scanMemberName();
        continue;
      }

      const innermost = containers[containers.length - 1];
      if (innermost === undefined) {
        if (this.position < this.text.length) throw this.unexpected("after the end of the JSON value");
        return;
      }

      const character = this.peek();
      if (character === ",") {
        this.position++;
        if (innermost === "{") {
          this.skipWhitespace();
          this.scanMemberName();
        }
        expectValue = true;
      } else if ((innermost === "{" && character === "}") || (innermost === "[" && character === "]")) {
        this.position++;
        containers.pop();
      } else {
        throw this.unexpected(innermost === "{" ? 'where "," or "}" must follow' : 'where "," or "]" must follow');
      }
    }
  }

  /** Scans a scalar and returns null, or consumes "{" or "[" and returns it. */
  private scanValueOrOpen(): "{" | "[" | null {
    const character = this.peek();
    if (character === "{" || character === "[") {
      this.position++;
      return character;
    }
    if (character === '"') {
      this.scanString();
    } else if (character === "-" || (character >= "0" && character <= "9")) {
      this.scanNumber();
    } else if (character === "t" || character === "f" || character === "n") {
      this.scanLiteral();
    } else {
      throw this.unexpected("where a value must start");
    }
    return null;
  }

  /** Scans `"name"` and the colon after it. */
  private scanMemberName(): void {
    if (this.peek() !== '"') throw this.unexpected("where a property name in double quotes must start");
    this.scanString();
    this.skipWhitespace();
    if (this.peek() !== ":") throw this.unexpected('where ":" must follow a property name');
    this.position++;
  }

  private scanString(): void {
    const start = this.position;
    this.position++;
    for (;;) {
      if (this.position >= this.text.length) throw new SyntaxProblem(start, "unterminated string starting");
      const code = this.text.charCodeAt(this.position);
      if (code === 0x22) {
        this.position++;
        return;
      }
      if (code < 0x20) throw this.unexpected("inside a string, where control characters must be escaped");
      if (code === 0x5c) {
        this.position++;
        const escaped = this.peek();
        if (escaped === "u") {
          const digits = this.text.slice(this.position + 1, this.position + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw new SyntaxProblem(this.position - 1, "invalid \\u escape");
          this.position += 5;
          continue;
        }
        if (!ESCAPABLE.has(escaped)) throw new SyntaxProblem(this.position - 1, "invalid escape in a string");
      }
      this.position++;
    }
  }

  private scanNumber(): void {
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = this.position;
    const found = match.exec(this.text);
    if (found === null || found[0] === "-") throw new SyntaxProblem(this.position, "invalid number");
    this.position += found[0].length;
    // Digits or a dot right after a complete number mean a malformed one, such as 01 or 1. or 1e.
    const next = this.peek();
    if (/[0-9.eE+-]/.test(next)) throw new SyntaxProblem(this.position, "invalid number");
  }

  private scanLiteral(): void {
    for (const literal of ["true", "false", "null"]) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length;
        return;
      }
    }
    throw this.unexpected("where a value must start");
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length) {
      const code = this.text.charCodeAt(this.position);
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return;
      this.position++;
    }
  }

  /** Returns the character at the position, or "" at the end of the text. */
  private peek(): string {
    return this.position < this.text.length ? this.text.charAt(this.position) : "";
  }

  private unexpected(context: string): SyntaxProblem {
    if (this.position >= this.text.length) return new SyntaxProblem(this.position, "unexpected end of input");
    return new SyntaxProblem(this.position, `unexpected ${JSON.stringify(this.peek())} ${context}`);
  }
}
