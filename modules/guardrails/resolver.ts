/**
 * Following references in the synthesized JSON: within a stack (`${aws_iam_role.cart.arn}`), through variables
 * (their defaults) and locals, and across stacks through the `terraform_remote_state` reads cdktf generates
 * (`${data.terraform_remote_state.cross-stack-reference-input-cart.outputs.<output>}` → that output's value in the
 * stack whose backend the read points at).
 */
import { segments, traversal } from './expressions';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { dig, isObject } from './values';

/** What a value stands for. */
export type Resolution =
  /** Known at synth: a literal, or a reference to an attribute set literally. */
  | { readonly kind: 'literal'; readonly value: unknown }
  /** An attribute only Terraform knows (an ARN, an id) of an element of the app. */
  | { readonly kind: 'attribute'; readonly element: ElementView; readonly attribute: (string | number)[] }
  /** A Terraform variable without a default: whatever is passed at plan time. */
  | { readonly kind: 'variable'; readonly element: ElementView }
  /** An expression synth does not evaluate (a function call, a template with unknown parts). */
  | { readonly kind: 'unknown'; readonly expression: string };

export interface Target {
  readonly element: ElementView;
  readonly attribute: (string | number)[];
}

const MAX_DEPTH = 12;
const CROSS_STACK_INPUT = 'cross-stack-reference-input-';

export class Resolver {
  constructor(private readonly app: SynthesizedApp) {}

  public resolve(value: unknown, near: ElementView, depth = 0): Resolution {
    if (typeof value !== 'string') return { kind: 'literal', value };
    const parts = segments(value);
    if (parts.length === 1 && 'expression' in parts[0])
      return this.expression(parts[0].expression, near, depth);
    let text = '';
    for (const part of parts) {
      if ('text' in part) {
        text += part.text;
        continue;
      }
      const resolved = this.expression(part.expression, near, depth);
      if (resolved.kind !== 'literal' || !isScalar(resolved.value))
        return { kind: 'unknown', expression: value };
      text += String(resolved.value);
    }
    return { kind: 'literal', value: text };
  }

  public literal(value: unknown, near: ElementView): string | undefined {
    const resolved = this.resolve(value, near);
    return resolved.kind === 'literal' && isScalar(resolved.value) ? String(resolved.value) : undefined;
  }

  public substitute(value: string, near: ElementView, unknown: (resolution: Resolution) => string): string {
    return segments(value)
      .map((part) => {
        if ('text' in part) return part.text;
        const resolved = this.expression(part.expression, near, 0);
        return resolved.kind === 'literal' && isScalar(resolved.value)
          ? String(resolved.value)
          : unknown(resolved);
      })
      .join('');
  }

  public follow(value: unknown, near: ElementView, depth = 0): Target | undefined {
    if (typeof value !== 'string' || depth > MAX_DEPTH) return undefined;
    const parts = segments(value);
    if (parts.length !== 1 || !('expression' in parts[0])) return undefined;
    return this.target(parts[0].expression, near, depth);
  }

  public targets(value: string, near: ElementView): Target[] {
    return segments(value).flatMap((part) => {
      if (!('expression' in part)) return [];
      const found = this.target(part.expression, near, 0);
      return found === undefined ? [] : [found];
    });
  }

  private expression(expression: string, near: ElementView, depth: number): Resolution {
    const unknown: Resolution = { kind: 'unknown', expression };
    const path = traversal(expression);
    if (path === undefined || depth > MAX_DEPTH) return unknown;
    const [first, second, ...rest] = path.steps;
    switch (path.root) {
      case 'var': {
        const variable = this.app.at(near.stackName, `var.${String(first)}`);
        if (variable === undefined) return unknown;
        if (variable.config.default === undefined) return { kind: 'variable', element: variable };
        return this.within(variable.config.default, [second, ...rest], variable, depth);
      }
      case 'local': {
        const local = this.app.at(near.stackName, `local.${String(first)}`);
        return local === undefined
          ? unknown
          : this.within(local.config.value, [second, ...rest], local, depth);
      }
      case 'data': {
        const element = this.app.at(near.stackName, `data.${String(first)}.${String(second)}`);
        if (element?.type === 'terraform_remote_state' && rest[0] === 'outputs') {
          const output = this.remoteOutput(element, String(rest[1]));
          return output === undefined
            ? unknown
            : this.within(output.config.value, rest.slice(2), output, depth);
        }
        return element === undefined ? unknown : this.attribute(element, rest, depth);
      }
      default: {
        const element = this.app.at(near.stackName, `${path.root}.${String(first)}`);
        return element === undefined ? unknown : this.attribute(element, [second, ...rest], depth);
      }
    }
  }

  /** A value inside a variable default, a local or an output: resolved, then the remaining steps taken. */
  private within(
    value: unknown,
    steps: (string | number | undefined)[],
    near: ElementView,
    depth: number,
  ): Resolution {
    const defined = steps.filter((s): s is string | number => s !== undefined);
    const resolved = this.resolve(value, near, depth + 1);
    if (defined.length === 0) return resolved;
    if (resolved.kind === 'literal') return this.resolve(dig(resolved.value, defined), near, depth + 1);
    if (resolved.kind === 'attribute') {
      return { kind: 'attribute', element: resolved.element, attribute: [...resolved.attribute, ...defined] };
    }
    return resolved;
  }

  private attribute(element: ElementView, steps: (string | number | undefined)[], depth: number): Resolution {
    const attribute = steps.filter((s): s is string | number => s !== undefined);
    const value = attribute.length === 0 ? undefined : dig(element.config, attribute);
    if (value === undefined) return { kind: 'attribute', element, attribute };
    return this.resolve(value, element, depth + 1);
  }

  private target(expression: string, near: ElementView, depth: number): Target | undefined {
    const path = traversal(expression);
    if (path === undefined || depth > MAX_DEPTH) return undefined;
    const [first, second, ...rest] = path.steps;
    const through = (element: ElementView | undefined, value: unknown, steps: (string | number)[]) => {
      if (element === undefined) return undefined;
      const inner = this.follow(value, element, depth + 1);
      return inner === undefined
        ? undefined
        : { element: inner.element, attribute: [...inner.attribute, ...steps] };
    };
    if (path.root === 'var' || path.root === 'local') {
      const element = this.app.at(near.stackName, `${path.root}.${String(first)}`);
      const value = path.root === 'var' ? element?.config.default : element?.config.value;
      return through(element, value, path.steps.slice(1));
    }
    if (path.root === 'data') {
      const element = this.app.at(near.stackName, `data.${String(first)}.${String(second)}`);
      if (element?.type === 'terraform_remote_state' && rest[0] === 'outputs') {
        const output = this.remoteOutput(element, String(rest[1]));
        return through(output, output?.config.value, rest.slice(2));
      }
      return element === undefined ? undefined : { element, attribute: rest };
    }
    const element = this.app.at(near.stackName, `${path.root}.${String(first)}`);
    return element === undefined ? undefined : { element, attribute: path.steps.slice(1) };
  }

  /** The output a remote-state read names, in the stack whose state it reads. */
  private remoteOutput(remoteState: ElementView, name: string): ElementView | undefined {
    const stackName = this.sourceStack(remoteState);
    return stackName === undefined ? undefined : this.app.at(stackName, `output.${name}`);
  }

  private sourceStack(remoteState: ElementView): string | undefined {
    const id = remoteState.construct.node.id;
    if (id.startsWith(CROSS_STACK_INPUT)) {
      const path = id.slice(CROSS_STACK_INPUT.length);
      const found = this.app.stacks.find((s) => s.stack.node.path === path);
      if (found !== undefined) return found.name;
    }
    // Hand-written remote-state reads: the stack whose backend has the same bucket and key (or local path).
    const backend = remoteState.config.backend;
    const config = isObject(remoteState.config.config) ? remoteState.config.config : {};
    return this.app.stacks.find((s) => {
      const own = this.app.at(s.name, `terraform.backend.${String(backend)}`)?.config;
      if (own === undefined) return false;
      return backend === 'local'
        ? own.path === config.path
        : own.bucket === config.bucket && own.key === config.key;
    })?.name;
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
