import { parse, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';

export type JsoncResult = { ok: true; value: unknown } | { ok: false; line: number; column: number; detail: string };

/**
 * Config files are JSON with comments (JSONC, as VS Code's settings): IT documents a policy in
 * place, and a trailing comma left after deleting a line is forgiven. Parsed by jsonc-parser,
 * VS Code's own, which gives the position of every error; this turns the first one into a line,
 * a column and a sentence a person editing the file in Notepad can act on.
 */
export function parseJsoncText(text: string): JsoncResult {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (!first) {
    const forbidden = prototypeKeyOffset(text);
    if (forbidden === null) return { ok: true, value };
    return { ok: false, ...lineAndColumn(text, forbidden), detail: "'__proto__' is not a setting (it would change the object instead of naming a field)" };
  }
  const at = printParseErrorCode(first.error) === 'InvalidEscapeCharacter' ? badEscapeOffset(text, first) : first.offset;
  const { line, column } = lineAndColumn(text, at);
  return { ok: false, line, column, detail: describe(text, first, at) };
}

/**
 * jsonc-parser assigns "__proto__" like any key, which replaces the object's prototype instead of
 * adding a field (JSON.parse makes it an own key, which the schemas' strict() then rejects). A
 * config file has no such field: refuse it where it stands.
 */
function prototypeKeyOffset(text: string): number | null {
  let found: number | null = null;
  visit(text, {
    onObjectProperty(property, offset) {
      if (found === null && property === '__proto__') found = offset;
    },
  });
  return found;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** jsonc-parser points at the string; the person needs the backslash. Escapes are read pair by pair. */
function badEscapeOffset(text: string, error: ParseError): number {
  for (const match of text.slice(error.offset, error.offset + error.length).matchAll(/\\(.)/g)) {
    if (!'"\\/bfnrtu'.includes(match[1]!)) return error.offset + match.index;
  }
  return error.offset;
}

function describe(text: string, error: ParseError, at: number): string {
  const found = at >= text.length ? 'the end of the file' : `'${text[at]}'`;
  // ParseErrorCode is a const enum in jsonc-parser's types, which isolated modules cannot read: switch on its names.
  switch (printParseErrorCode(error.error)) {
    case 'InvalidSymbol':
      return text[at] === "'" ? `unexpected ''' (names and strings take double quotes: "name")` : `unexpected ${found}`;
    case 'PropertyNameExpected':
      return `expected a property name in double quotes but found ${found}`;
    case 'ValueExpected':
      return `expected a value but found ${found}`;
    case 'ColonExpected':
      return `expected ':' after a property name but found ${found}`;
    case 'CommaExpected':
      return `expected ',' before the next property or value but found ${found}`;
    case 'CloseBraceExpected':
      return at >= text.length ? "the file ends before '}' closes an object (is it cut short?)" : `expected '}' but found ${found}`;
    case 'CloseBracketExpected':
      return at >= text.length ? "the file ends before ']' closes a list (is it cut short?)" : `expected ']' but found ${found}`;
    case 'EndOfFileExpected':
      return `unexpected ${found} after the end of the JSON value`;
    case 'InvalidEscapeCharacter':
      return `invalid escape '${text.slice(at, at + 2)}' in a string (write a backslash as \\\\, e.g. C:\\\\Logs)`;
    case 'UnexpectedEndOfString':
      return error.offset + error.length >= text.length ? 'this string is never closed (missing ")' : 'this string is not closed before the end of the line (missing ")';
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'a comment is not closed (missing */)';
    case 'InvalidUnicode':
      return 'invalid \\u escape (it takes four hex digits, e.g. \\u00e9)';
    case 'InvalidCharacter':
      return 'a control character inside a string (write a tab or line break as \\t or \\n)';
    default:
      return 'invalid number';
  }
}
