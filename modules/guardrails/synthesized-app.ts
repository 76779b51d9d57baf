/**
 * The guardrails' view of an app: every Terraform element of the final JSON (resources, data sources, providers,
 * backends, outputs, variables, locals), each with the construct it came from, and a resolver that follows
 * references — inside a stack and, through `terraform_remote_state` outputs, across stacks — back to literals.
 *
 * Rules read this rather than construct internals, so a rule holds for a resource built by any module, by a raw
 * `TerraformResource`, by an aspect or by an escape hatch.
 */
import type { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { Resolver, type Resolution } from './resolver';
import { ConstructIndex, renderStacks, stacksOf, type RenderedStack } from './terraform-json';
import { isObject, type Json } from './values';

export type ElementKind = 'resource' | 'data' | 'provider' | 'backend' | 'output' | 'variable' | 'local';

/** One element of a stack's synthesized Terraform JSON. */
export interface ElementView {
  /** The construct that made it; the stack itself for an element added by a stack-level override. */
  readonly construct: IConstruct;
  readonly kind: ElementKind;
  /** Resource or data source type (`aws_s3_bucket`), provider name (`aws`), backend name (`s3`); else the kind. */
  readonly type: string;
  /** The Terraform name (the `<id>` in `aws_s3_bucket.<id>`). */
  readonly logicalId: string;
  /** The Terraform address in its stack: `aws_s3_bucket.bucket`, `data.aws_iam_policy_document.cart`, `provider.aws`. */
  readonly address: string;
  /** The construct path, e.g. `cart/cart-table/table`: what a finding names. */
  readonly path: string;
  readonly stack: TerraformStack;
  /** The stack's id (its folder under `stacks/`). */
  readonly stackName: string;
  /** The synthesized configuration (snake_case keys, references as `${…}` expressions), without cdktf's `//`. */
  readonly config: Readonly<Json>;
  /** True when only a stack-level `addOverride` defines it (no construct of its own). */
  readonly addedByOverride: boolean;
}

const BLOCK_KINDS = [
  ['resource', 'resource'],
  ['data', 'data'],
] as const;

export class SynthesizedApp {
  /**
   * Renders every stack under `scope` (an App, a stack, or a construct in one) and reads its elements.
   * `prepared`: `app.synth()` has just prepared the stacks (the synth gate).
   */
  public static of(scope: IConstruct, prepared = false): SynthesizedApp {
    const rendered = renderStacks(stacksOf(scope), prepared);
    const prefix = rendered.some((r) => r.stack === scope) || rendered.length !== 1 ? '' : scope.node.path;
    return new SynthesizedApp(rendered, prefix);
  }

  public readonly elements: readonly ElementView[];
  private readonly index = new Map<string, ElementView>();
  private readonly resolver: Resolver;

  private constructor(
    public readonly stacks: readonly RenderedStack[],
    scopePath: string,
  ) {
    const all = stacks.flatMap(elementsOf);
    for (const element of all) this.index.set(`${element.stackName}|${element.address}`, element);
    this.elements = all.filter(
      (e) => scopePath === '' || e.path === scopePath || e.path.startsWith(`${scopePath}/`),
    );
    this.resolver = new Resolver(this);
  }

  /** Resources of one or several types (data sources excluded). */
  public resources(...types: string[]): ElementView[] {
    return this.elements.filter((e) => e.kind === 'resource' && types.includes(e.type));
  }

  /** Data sources of one or several types. */
  public dataSources(...types: string[]): ElementView[] {
    return this.elements.filter((e) => e.kind === 'data' && types.includes(e.type));
  }

  /** Providers of a type (`aws`, `kubernetes`, `helm`). */
  public providers(type: string): ElementView[] {
    return this.elements.filter((e) => e.kind === 'provider' && e.type === type);
  }

  public backends(): ElementView[] {
    return this.elements.filter((e) => e.kind === 'backend');
  }

  /** The element at an address (`aws_iam_role.cart`, `data.x.y`, `output.z`, `var.v`, `local.l`) in a stack. */
  public at(stackName: string, address: string): ElementView | undefined {
    return this.index.get(`${stackName}|${address}`);
  }

  /** The resource at a Terraform address, preferring one in the same stack as `near`. */
  public resourceAt(type: string, logicalId: string, near?: ElementView): ElementView | undefined {
    if (near !== undefined) {
      const local = this.at(near.stackName, `${type}.${logicalId}`);
      if (local !== undefined) return local;
    }
    const found = this.elements.filter(
      (e) => e.kind === 'resource' && e.type === type && e.logicalId === logicalId,
    );
    return found.length === 1 ? found[0] : undefined;
  }

  /** What a value stands for, references followed (see Resolver). */
  public resolve(value: unknown, near: ElementView): Resolution {
    return this.resolver.resolve(value, near);
  }

  /**
   * The element (resource or data source) and attribute a pure reference ends at, through outputs, remote state,
   * variables and locals: `${kubernetes_namespace_v1.ns.metadata[0].name}` → the namespace, `metadata[0].name`.
   */
  public follow(
    value: unknown,
    near: ElementView,
  ): { element: ElementView; attribute: (string | number)[] } | undefined {
    return this.resolver.follow(value, near);
  }

  /** The literal a value stands for (scalars as strings; templates whose every part is known); else undefined. */
  public literal(value: unknown, near: ElementView): string | undefined {
    return this.resolver.literal(value, near);
  }

  /** Whether a value references the element anywhere (`${aws_s3_bucket.bucket.id}`, `…arn}/*`, via outputs). */
  public mentions(value: unknown, element: ElementView, near?: ElementView): boolean {
    if (typeof value !== 'string') return false;
    return this.resolver.targets(value, near ?? element).some((t) => t.element === element);
  }

  /** Every element a string's interpolations end at. */
  public targets(
    value: unknown,
    near: ElementView,
  ): { element: ElementView; attribute: (string | number)[] }[] {
    return typeof value === 'string' ? this.resolver.targets(value, near) : [];
  }

  /**
   * The string with each interpolation replaced: by its literal when known, else by `unknown(resolution)`.
   * Used to turn `${aws_dynamodb_table.t.arn}/index/*` into an ARN pattern.
   */
  public substitute(value: string, near: ElementView, unknown: (resolution: Resolution) => string): string {
    return this.resolver.substitute(value, near, unknown);
  }
}

function view(
  rendered: RenderedStack,
  construct: IConstruct | undefined,
  fields: { kind: ElementKind; type: string; logicalId: string; address: string; config: unknown },
): ElementView {
  const own = construct ?? rendered.stack;
  const config = isObject(fields.config) ? { ...fields.config } : {};
  delete config['//'];
  return {
    ...fields,
    construct: own,
    path: own.node.path,
    stack: rendered.stack,
    stackName: rendered.name,
    config,
    addedByOverride: construct === undefined,
  };
}

/** Every element of a rendered stack; resources with `count = 0` do not exist. */
function elementsOf(rendered: RenderedStack): ElementView[] {
  const index = new ConstructIndex(rendered.stack);
  const json = rendered.json;
  const views: ElementView[] = [];
  for (const [key, kind] of BLOCK_KINDS) {
    for (const [type, byId] of Object.entries(isObject(json[key]) ? json[key] : {})) {
      for (const [logicalId, config] of Object.entries(isObject(byId) ? byId : {})) {
        if (isObject(config) && (config.count === 0 || config.count === '0')) continue;
        const address = kind === 'data' ? `data.${type}.${logicalId}` : `${type}.${logicalId}`;
        views.push(
          view(rendered, index.element(logicalId, config), { kind, type, logicalId, address, config }),
        );
      }
    }
  }
  for (const [type, list] of Object.entries(isObject(json.provider) ? json.provider : {})) {
    for (const config of Array.isArray(list) ? list.filter(isObject) : []) {
      const alias = typeof config.alias === 'string' ? config.alias : undefined;
      const address = alias === undefined ? `provider.${type}` : `provider.${type}.${alias}`;
      const fields = { kind: 'provider' as const, type, logicalId: alias ?? type, address, config };
      views.push(view(rendered, index.provider(type, config), fields));
    }
  }
  const terraform = isObject(json.terraform) ? json.terraform : {};
  for (const [type, config] of Object.entries(isObject(terraform.backend) ? terraform.backend : {})) {
    const fields = {
      kind: 'backend' as const,
      type,
      logicalId: type,
      address: `terraform.backend.${type}`,
      config,
    };
    views.push(view(rendered, index.backend(), fields));
  }
  const named = [
    ['output', 'output', 'output'],
    ['variable', 'variable', 'var'],
    ['locals', 'local', 'local'],
  ] as const;
  for (const [key, kind, prefix] of named) {
    for (const [logicalId, config] of Object.entries(isObject(json[key]) ? json[key] : {})) {
      const value = kind === 'local' ? { value: config } : config;
      const fields = { kind, type: kind, logicalId, address: `${prefix}.${logicalId}`, config: value };
      views.push(view(rendered, index.element(logicalId, config), fields));
    }
  }
  return views;
}
