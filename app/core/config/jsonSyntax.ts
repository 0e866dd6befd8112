/**
 * Finds where and why JSON text is malformed, for an error message an IT lead can act on.
 * JSON.parse does the parsing; this runs only after it has failed, because V8's message does not
 * always carry a position ("Unexpected token '}', … is not valid JSON").
 */

export interface JsonSyntaxProblem {
  offset: number;
  line: number;
  column: number;
  expected: string;
}

class Problem extends Error {
  readonly offset: number;
  constructor(offset: number, expected: string) {
    super(expected);
    this.offset = offset;
  }
}

/** 1-based line and column of an offset (CRLF counts as one line break). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax problem in `text`, or null when it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  try {
    new Scanner(text).document();
    return null;
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    return { offset: error.offset, ...lineAndColumn(text, error.offset), expected: error.message };
  }
}

const describe = (ch: string | undefined): string => (ch === undefined ? 'the end of the file' : `'${ch}'`);

class Scanner {
  private pos = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  document(): void {
    this.space();
    this.value();
    this.space();
    if (this.pos < this.text.length) throw new Problem(this.pos, `unexpected ${describe(this.text[this.pos])} after the end of the JSON value`);
  }

  private value(): void {
    const ch = this.text[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    if (ch === "'") throw new Problem(this.pos, 'strings must use double quotes (") in JSON');
    throw new Problem(this.pos, `expected a value (a string, number, true, false, null, object or array) but found ${describe(ch)}`);
  }

  private object(): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') {
        const hint = this.text[this.pos] === '}' ? ' (remove the trailing comma)' : '';
        throw new Problem(this.pos, `expected a property name in double quotes but found ${describe(this.text[this.pos])}${hint}`);
      }
      this.string();
      this.space();
      if (this.text[this.pos] !== ':') throw new Problem(this.pos, `expected ':' after the property name but found ${describe(this.text[this.pos])}`);
      this.pos++;
      this.space();
      this.value();
      this.space();
      const next = this.text[this.pos];
      if (next === '}') {
        this.pos++;
        return;
      }
      if (next !== ',') throw new Problem(this.pos, `expected ',' or '}' after a property value but found ${describe(next)}`);
      this.pos++;
      this.space();
    }
  }

  private array(): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] === ']') throw new Problem(this.pos, "expected a value but found ']' (remove the trailing comma)");
      this.value();
      this.space();
      const next = this.text[this.pos];
      if (next === ']') {
        this.pos++;
        return;
      }
      if (next !== ',') throw new Problem(this.pos, `expected ',' or ']' after an array element but found ${describe(next)}`);
      this.pos++;
      this.space();
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) throw new Problem(start, 'this string is never closed (missing ")');
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '\n' || ch === '\r') throw new Problem(start, 'this string is not closed before the end of the line (missing ")');
      if (ch < ' ') throw new Problem(this.pos, 'a control character inside a string (write a tab as \\t)');
      if (ch === '\\') {
        const esc = this.text[this.pos + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) throw new Problem(this.pos, 'a \\u escape needs four hex digits');
          this.pos += 6;
          continue;
        }
        // Windows paths are the usual cause: C:\Logs must be written C:\\Logs in JSON.
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) throw new Problem(this.pos, `invalid escape '\\${esc ?? ''}' in a string (write a backslash as \\\\, e.g. C:\\\\Logs)`);
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) throw new Problem(this.pos, 'invalid number');
    this.pos += match[0].length;
  }

  private space(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        this.pos++;
        continue;
      }
      if (ch === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) throw new Problem(this.pos, 'comments are not allowed in JSON');
      return;
    }
  }
}
