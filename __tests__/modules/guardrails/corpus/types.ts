/**
 * The extension corpus: realistic ways a user extends the fixture platform (added resources, escape hatches, other
 * resource types, patches, aspects) that reintroduce one of the guide's mistakes — and extensions that are correct.
 * Each mistake names the rule that must refuse it, the construct path the finding must name and fragments of the
 * message (the offending value).
 */
import type { Fixture, FixtureOptions } from '../fixture';

/** The classes of what the rules must see. */
export const CORPUS_CLASSES = {
  1: 'what Terraform receives (aspects, overrides, raw resources)',
  2: 'every workload, its effective environment',
  3: 'effective IAM of the workload role',
  4: 'identity bindings end to end',
  5: 'every path to the node metadata service',
  6: 'the baseline after overrides',
  7: 'cross-field configuration',
  8: 'capacity: autoscaler maxima within NodePool limits, budgets that let a node drain',
} as const;

export interface ExtensionMistake {
  readonly class: keyof typeof CORPUS_CLASSES;
  /** What the extension does wrong, for the test name. */
  readonly what: string;
  /** The rule that must refuse it. */
  readonly rule: string;
  /** Construct path the finding names. */
  readonly path: string;
  /** Fragments the message must contain (the resource, the offending value). */
  readonly mentions: readonly string[];
  readonly options?: FixtureOptions;
  readonly extend: (fixture: Fixture) => void;
}

export interface CorrectExtension {
  readonly what: string;
  readonly options?: FixtureOptions;
  readonly extend: (fixture: Fixture) => void;
}
