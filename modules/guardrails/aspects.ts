/**
 * Invoking the app's aspects before synth writes anything, exactly once per construct.
 *
 * cdktf invokes aspects inside `StackSynthesizer.synthesize`, stack by stack, just before it writes each stack; its
 * bookkeeping of what ran lives in that one call, so a second invocation runs every aspect again. The guardrails
 * must see the configuration the aspects produce, before the first stack is written, and the later synth must not
 * repeat the aspects (an aspect that appends a tag or an env entry would append it twice). So every aspect
 * registered in the tree is replaced by a wrapper that remembers the constructs it visited; cdktf's own
 * `invokeAspects` then runs as usual, now and again at synth, and the second run is a no-op for every construct
 * the first one reached.
 */
import { Aspects, type IAspect, type TerraformStack } from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import type { IConstruct } from 'constructs';

/** Runs an aspect at most once per construct. */
class OncePerConstruct implements IAspect {
  private readonly visited = new WeakSet<IConstruct>();

  constructor(public readonly aspect: IAspect) {}

  public visit(node: IConstruct): void {
    if (this.visited.has(node)) return;
    this.visited.add(node);
    this.aspect.visit(node);
  }
}

// One wrapper per aspect, so an aspect added on two scopes stays one aspect for cdktf's per-node bookkeeping.
const wrappers = new WeakMap<IAspect, OncePerConstruct>();

function wrap(aspect: IAspect): IAspect {
  if (aspect instanceof OncePerConstruct) return aspect;
  let wrapper = wrappers.get(aspect);
  if (wrapper === undefined) {
    wrapper = new OncePerConstruct(aspect);
    wrappers.set(aspect, wrapper);
  }
  return wrapper;
}

/** The mutable list behind `Aspects.of(construct).all` (which returns a copy). */
function registered(construct: IConstruct): IAspect[] {
  const list = (Aspects.of(construct) as unknown as { _aspects?: unknown })._aspects;
  if (!Array.isArray(list)) {
    throw new Error(
      'guardrails: cdktf Aspects no longer keeps its aspects in `_aspects`; update modules/guardrails/aspects.ts for this cdktf version',
    );
  }
  return list as IAspect[];
}

/** Makes every aspect under the stacks run once per construct, then invokes them as cdktf's synth does. */
export function invokeAspectsOnce(stacks: readonly TerraformStack[]): void {
  for (const stack of stacks) {
    for (const construct of stack.node.findAll()) {
      const list = registered(construct);
      for (let i = 0; i < list.length; i++) list[i] = wrap(list[i]);
    }
  }
  for (const stack of stacks) invokeAspects(stack);
}
