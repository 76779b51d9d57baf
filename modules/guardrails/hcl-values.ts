/**
 * The literal HCL values cdktf renders for `Fn.jsonencode(...)` — `jsonencode({"Version" = "2012-10-17",
 * "Statement" = [{"Action" = ["dynamodb:*"], "Resource" = [aws_dynamodb_table.t.arn]}]})` — read back as JSON.
 * Objects, tuples, strings (templates kept as `${…}` text), numbers, booleans and null; a bare traversal becomes
 * the `${traversal}` string a resolver can follow. Anything else (a function call, an operator) is unreadable.
 */

class Parser {
  private i = 0;

  constructor(private readonly text: string) {}

  public parse(): unknown {
    const value = this.value();
    this.space();
    if (this.i !== this.text.length) throw new Error('trailing input');
    return value;
  }

  private space(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  private value(): unknown {
    this.space();
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.tuple();
    if (c === '"') return this.string();
    const word =
      /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+|\[\d+\])*)/.exec(
        this.text.slice(this.i),
      )?.[0];
    if (word === undefined) throw new Error(`unexpected ${c}`);
    this.i += word.length;
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    if (/^-?\d/.test(word)) return Number(word);
    if (this.text[this.i] === '(') throw new Error('function call');
    return `\${${word}}`;
  }

  private expect(c: string): void {
    this.space();
    if (this.text[this.i] !== c) throw new Error(`expected ${c}`);
    this.i++;
  }

  private object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.expect('{');
    for (this.space(); this.text[this.i] !== '}'; this.space()) {
      const key =
        this.text[this.i] === '"' ? this.string() : String(this.value()).replace(/^\$\{(.*)\}$/, '$1');
      this.space();
      if (this.text[this.i] !== '=' && this.text[this.i] !== ':') throw new Error('expected =');
      this.i++;
      object[key] = this.value();
      this.space();
      if (this.text[this.i] === ',') this.i++;
    }
    this.i++;
    return object;
  }

  private tuple(): unknown[] {
    const items: unknown[] = [];
    this.expect('[');
    for (this.space(); this.text[this.i] !== ']'; this.space()) {
      items.push(this.value());
      this.space();
      if (this.text[this.i] === ',') this.i++;
    }
    this.i++;
    return items;
  }

  /** A quoted string; `${…}` inside is kept as text (braces and quotes within it balanced). */
  private string(): string {
    this.i++;
    let out = '';
    let depth = 0;
    while (this.i < this.text.length) {
      const c = this.text[this.i++];
      if (depth === 0 && c === '"') return out;
      if (c === '\\' && depth === 0) {
        const next = this.text[this.i++];
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        continue;
      }
      if (c === '$' && this.text[this.i] === '{') {
        depth++;
        out += '${';
        this.i++;
        continue;
      }
      if (depth > 0 && c === '}') depth--;
      out += c;
    }
    throw new Error('unterminated string');
  }
}

/** The JSON a `jsonencode(<literal HCL value>)` expression produces; undefined when it is not one. */
export function jsonencodeValue(expression: string): unknown {
  const match = /^jsonencode\(([\s\S]*)\)$/.exec(expression.trim());
  if (match === null) return undefined;
  try {
    return new Parser(match[1]).parse();
  } catch {
    return undefined;
  }
}
