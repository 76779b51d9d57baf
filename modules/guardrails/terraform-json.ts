/**
 * What Terraform receives, without writing it: each stack's final JSON as `app.synth()` would write it — after
 * `prepareStack()` (cross-stack references become remote-state reads), after the aspects, with every resource-level
 * and stack-level `addOverride` merged — and each JSON element mapped back to the construct that made it.
 */
import { TerraformBackend, TerraformElement, TerraformProvider, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { invokeAspectsOnce } from './aspects';
import { isObject, type Json } from './values';

export interface RenderedStack {
  readonly stack: TerraformStack;
  /** The stack's id: its folder under `<outdir>/stacks/`. */
  readonly name: string;
  /** The configuration `app.synth()` writes to `stacks/<name>/cdk.tf.json`. */
  readonly json: Json;
  /** That file, relative to the app's outdir. */
  readonly file: string;
}

/** The stacks a guardrails pass covers: every stack under an app (or scope), or the stack holding a construct. */
export function stacksOf(scope: IConstruct): TerraformStack[] {
  const below = scope.node.findAll().filter(TerraformStack.isStack);
  if (below.length > 0) return below;
  return [TerraformStack.of(scope)];
}

/**
 * Prepares the stacks (unless `app.synth()` just did), runs their aspects once, and renders each one's final
 * Terraform JSON in memory.
 */
export function renderStacks(stacks: readonly TerraformStack[], prepared = false): RenderedStack[] {
  if (!prepared) for (const stack of stacks) stack.prepareStack();
  invokeAspectsOnce(stacks);
  return stacks.map((stack) => ({
    stack,
    name: stack.node.id,
    json: stack.toTerraform() as Json,
    file: `stacks/${stack.node.id}/cdk.tf.json`,
  }));
}

/** Finds the construct behind a JSON element of a stack. */
export class ConstructIndex {
  private readonly byPath = new Map<string, IConstruct>();
  private readonly byLogicalId = new Map<string, TerraformElement>();
  private readonly providers: TerraformProvider[] = [];
  private readonly backends: TerraformBackend[] = [];

  constructor(private readonly stack: TerraformStack) {
    for (const construct of stack.node.findAll()) {
      this.byPath.set(construct.node.path, construct);
      if (TerraformElement.isTerraformElement(construct))
        this.byLogicalId.set(construct.friendlyUniqueId, construct);
      if (TerraformProvider.isTerraformProvider(construct)) this.providers.push(construct);
      if (TerraformBackend.isBackend(construct)) this.backends.push(construct);
    }
  }

  /** A resource, data source, output or variable: by the `//` metadata path cdktf writes, else by logical id. */
  public element(logicalId: string, config: unknown): IConstruct | undefined {
    const meta = isObject(config) ? config['//'] : undefined;
    const metadata = isObject(meta) ? meta.metadata : undefined;
    const path = isObject(metadata) ? metadata.path : undefined;
    return (typeof path === 'string' ? this.byPath.get(path) : undefined) ?? this.byLogicalId.get(logicalId);
  }

  /** A provider block: the provider construct of that type with the same alias. */
  public provider(type: string, config: Json): IConstruct | undefined {
    return this.providers.find(
      (p) => p.terraformResourceType === type && (p.alias ?? undefined) === (config.alias ?? undefined),
    );
  }

  public backend(): IConstruct | undefined {
    return this.backends[0];
  }

  /** Constructs that add nothing of their own to the JSON are attributed to the stack. */
  public get fallback(): IConstruct {
    return this.stack;
  }
}
