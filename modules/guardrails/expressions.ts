/**
 * Terraform expressions inside synthesized strings: `"${aws_dynamodb_table.cart.arn}/index/*"` is a template of
 * literal text and interpolations. Only traversals (`type.name.attr[0]`, `data.…`, `var.…`, `local.…`) can be
 * followed; anything else (function calls, conditionals) is opaque.
 */

export type Segment = { readonly text: string } | { readonly expression: string };

/** Splits a string into literal text and `${…}` interpolations (nested braces and quoted strings respected). */
export function segments(value: string): Segment[] {
  const parts: Segment[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!value.startsWith('${', i)) {
      text += value[i++];
      continue;
    }
    const end = closingBrace(value, i + 2);
    if (end < 0) {
      text += value.slice(i);
      break;
    }
    if (text !== '') parts.push({ text });
    text = '';
    parts.push({ expression: value.slice(i + 2, end).trim() });
    i = end + 1;
  }
  if (text !== '') parts.push({ text });
  return parts;
}

function closingBrace(value: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

export function hasInterpolation(value: unknown): boolean {
  return typeof value === 'string' && segments(value).some((s) => 'expression' in s);
}

/** A traversal: the root (`aws_s3_bucket`, `data`, `var`, `local`) and the steps after it. */
export interface Traversal {
  readonly root: string;
  readonly steps: readonly (string | number)[];
}

const TRAVERSAL = /^[A-Za-z_][A-Za-z0-9_-]*((?:\.[A-Za-z0-9_-]+|\[\d+\]|\["[^"]*"\])*)$/;

/** Parses `aws_iam_role.cart.arn` or `data.x.y.outputs["z"]`; `undefined` for any other expression. */
export function traversal(expression: string): Traversal | undefined {
  if (!TRAVERSAL.test(expression)) return undefined;
  const root = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expression)?.[0] ?? '';
  const steps = [
    ...expression.slice(root.length).matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]|\["([^"]*)"\]/g),
  ].map((m) => (m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : m[3]));
  return { root, steps };
}
