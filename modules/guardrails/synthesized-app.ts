/**
 * The guardrails' view of an app: every Terraform element (resource, data source, provider, backend) with the
 * configuration it synthesizes to, whichever module created it.
 *
 * Rules read this rather than construct internals, so a rule holds for a resource built by any module (or by hand).
 * Configurations are resolved through a neutral stack that is not part of the app: tokens become Terraform
 * expressions, and a reference to another stack's resource stays a plain address such as
 * `${aws_dynamodb_table.cart_table_1234.name}` (instead of a remote-state read), before and after `prepareStack()`
 * alike. Rules follow such addresses back to the element with `SynthesizedApp.follow`.
 */
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformBackend,
  TerraformDataSource,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Tokenization,
  type TerraformElement,
} from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

export type ElementKind = 'resource' | 'data' | 'provider' | 'backend';

/** One synthesized Terraform element. */
export interface ElementView {
  readonly construct: TerraformElement;
  readonly kind: ElementKind;
  /** Resource or data source type (`aws_s3_bucket`), provider name (`aws`) or backend name (`s3`). */
  readonly type: string;
  /** The Terraform logical id (the `<id>` in `aws_s3_bucket.<id>`). */
  readonly logicalId: string;
  /** The construct path, e.g. `cart/table/table`: what a finding names. */
  readonly path: string;
  readonly stack: TerraformStack;
  /** The synthesized configuration (snake_case keys, tokens rendered as `${…}` expressions). */
  readonly config: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

/** A whole Terraform reference and nothing else: `${type.id.attr[0].path}`. */
const PURE_REFERENCE = /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}$/;

export class SynthesizedApp {
  /** Collects and resolves every element under `scope` (an App, a stack, or any construct). */
  public static of(scope: IConstruct): SynthesizedApp {
    return new SynthesizedApp(collect(scope));
  }

  private constructor(public readonly elements: readonly ElementView[]) {}

  /** Resources of one or several types (data sources excluded). */
  public resources(...types: string[]): ElementView[] {
    return this.elements.filter((e) => e.kind === 'resource' && types.includes(e.type));
  }

  /** Providers of a type (`aws`, `kubernetes`, `helm`). */
  public providers(type: string): ElementView[] {
    return this.elements.filter((e) => e.kind === 'provider' && e.type === type);
  }

  public backends(): ElementView[] {
    return this.elements.filter((e) => e.kind === 'backend');
  }

  /** The resource at a Terraform address, preferring one in the same stack as `near`. */
  public resourceAt(type: string, logicalId: string, near?: ElementView): ElementView | undefined {
    const found = this.elements.filter(
      (e) => e.kind === 'resource' && e.type === type && e.logicalId === logicalId,
    );
    return found.find((e) => e.stack === near?.stack) ?? (found.length === 1 ? found[0] : undefined);
  }

  /**
   * Follows a pure reference (`${kubernetes_namespace_v1.ns.metadata[0].name}`) to the element and the attribute
   * path it names.
   */
  public follow(
    value: unknown,
    near?: ElementView,
  ): { element: ElementView; attribute: (string | number)[] } | undefined {
    if (typeof value !== 'string') return undefined;
    const match = PURE_REFERENCE.exec(value);
    if (!match || match[1] === 'data') return undefined;
    const element = this.resourceAt(match[1], match[2], near);
    if (element === undefined) return undefined;
    const attribute = [...match[3].matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)].map((m) =>
      m[1] !== undefined ? m[1] : Number(m[2]),
    );
    return { element, attribute };
  }

  /**
   * The literal a value stands for: the value itself when it is a plain string or number, or — for a pure reference
   * to an attribute that is set literally in the referenced resource's configuration (a name, a namespace) — that
   * literal. `undefined` when only Terraform knows it (an ARN, an id).
   */
  public literal(value: unknown, near?: ElementView, depth = 0): string | undefined {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') return undefined;
    if (!value.includes('${')) return value;
    if (depth > 5) return undefined;
    const target = this.follow(value, near);
    if (target === undefined) return undefined;
    const found = dig(target.element.config, target.attribute);
    return this.literal(found, target.element, depth + 1);
  }

  /** Whether a string mentions the element's address anywhere (`${aws_s3_bucket.bucket.id}`, `…arn}/*`). */
  public mentions(value: unknown, element: ElementView): boolean {
    if (typeof value !== 'string') return false;
    const address = `${element.type}.${element.logicalId}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\w.])${address}(?![\\w-])`).test(value);
  }
}

/** Reads a nested attribute; `[0]` of a single block (rendered as an object) is the block itself. */
export function dig(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      current = Array.isArray(current) ? current[key] : key === 0 ? current : undefined;
    } else {
      const holder = Array.isArray(current) ? current[0] : current;
      current = isObject(holder) ? holder[key] : undefined;
    }
  }
  return current;
}

/** A single nested block, whether rendered as an object or as a one-element list. */
export function block(value: unknown): Json | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return isObject(first) ? first : undefined;
}

/** A repeated nested block (a list), or a single one. */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Follows a path of single blocks: `path(config, 'spec', 'template', 'spec')`. */
export function path(root: unknown, ...keys: string[]): Json | undefined {
  let current = block(root);
  for (const key of keys) {
    current = block(current?.[key]);
  }
  return current;
}

/** A list attribute as strings (tokens included as their `${…}` text). */
export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** A boolean attribute; Terraform also accepts "true"/"false" strings. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A number attribute; numeric strings count. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collect(scope: IConstruct): ElementView[] {
  // Resolving in a stack outside the app keeps cross-stack references as plain addresses and never registers
  // remote-state reads in the app's stacks (a preparing resolve would).
  const neutralRoot = new Construct(undefined as unknown as Construct, 'guardrails');
  const neutral = new TerraformStack(neutralRoot, 'guardrails-resolution');
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (value: unknown): unknown => Tokenization.resolve(value, { scope: neutral, resolver });

  const views: ElementView[] = [];
  for (const construct of scope.node.findAll()) {
    const view = toView(construct, resolve);
    if (view !== undefined) views.push(view);
  }
  return views;
}

function toView(construct: IConstruct, resolve: (value: unknown) => unknown): ElementView | undefined {
  const base = (kind: ElementKind, type: string, element: TerraformElement, config: unknown) => ({
    construct: element,
    kind,
    type,
    logicalId: element.friendlyUniqueId,
    path: element.node.path,
    stack: element.cdktfStack,
    config: isObject(config) ? config : {},
  });
  if (
    TerraformResource.isTerraformResource(construct) ||
    TerraformDataSource.isTerraformDataSource(construct)
  ) {
    const kind: ElementKind = TerraformResource.isTerraformResource(construct) ? 'resource' : 'data';
    const type = construct.terraformResourceType;
    const rendered = resolve(construct.toTerraform()) as Json;
    const config = dig(rendered, [kind, type, construct.friendlyUniqueId]);
    if (!isObject(config) || config.count === 0) return undefined;
    return base(kind, type, construct, config);
  }
  if (TerraformProvider.isTerraformProvider(construct)) {
    const type = construct.terraformResourceType;
    const rendered = resolve(construct.toTerraform()) as Json;
    return base('provider', type, construct, dig(rendered, ['provider', type, 0]));
  }
  if (TerraformBackend.isBackend(construct)) {
    const rendered = resolve(construct.toTerraform()) as Json;
    const backends = dig(rendered, ['terraform', 'backend']);
    const [name, config] = Object.entries(isObject(backends) ? backends : {})[0] ?? ['unknown', {}];
    return base('backend', name, construct, config);
  }
  return undefined;
}
