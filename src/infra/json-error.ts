/**
 * Node 20's JSON.parse says what went wrong but not where. This scanner finds the offset
 * of the first error in text JSON.parse refused, so the message can name line:column.
 */

class JsonStop extends Error {
  constructor(readonly offset: number, readonly reason: string) { super(reason); }
}

/** Offset and reason of the first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonError(text: string): { offset: number; reason: string } | undefined {
  let i = 0;
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const fail = (reason: string): never => {
    throw new JsonStop(i, i >= text.length ? 'unexpected end of input' : `${reason}, found ${JSON.stringify(text[i])}`);
  };
  const expect = (ch: string): void => { if (text[i] === ch) i++; else fail(`expected "${ch}"`); };
  const literal = (word: string): void => { if (text.startsWith(word, i)) i += word.length; else fail('expected a value'); };
  const string = (): void => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('control character in string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail('bad escape');
      } else i++;
    }
    expect('"');
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('expected a value');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws(); if (text[i] !== '"') fail('expected a property name in double quotes');
        string(); ws(); expect(':'); value(); ws();
        if (text[i] === ',') { i++; continue; }
        expect('}'); return;
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        expect(']'); return;
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value(); ws();
    if (i < text.length) fail('unexpected text after the JSON value');
    return undefined;
  } catch (e) {
    if (e instanceof JsonStop) return { offset: e.offset, reason: e.reason };
    throw e;
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') { line++; lineStart = k + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}
