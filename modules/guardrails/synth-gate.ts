/**
 * Running the guardrails inside `app.synth()`, before anything is written. `App.synth()` prepares every stack, then
 * calls each stack's `synthesizer.synthesize(session)` in turn, which invokes the stack's aspects and writes its
 * JSON. The gate wraps each stack's synthesizer: the first call evaluates the whole app (aspects included, see
 * aspects.ts) and throws on errors; each stack is then written from the very JSON the guardrails evaluated (so
 * what they judged is what Terraform receives, and the JSON is rendered once); once the last stack is written,
 * the findings are written as SARIF next to it.
 */
import { join } from 'node:path';
import { TerraformStack, type App, type IStackSynthesizer, type ISynthesisSession } from 'cdktf';
import { GuardrailError, type GuardrailReport } from './report';
import { SARIF_FILE, writeSarif } from './sarif';

const gated = new WeakSet<TerraformStack>();

/** Runs cdktf's synthesizer with the stack's `toTerraform()` answering the JSON the guardrails evaluated. */
function writeEvaluated(stack: TerraformStack, report: GuardrailReport, synthesize: () => void): void {
  const evaluated = report.stacks.find((s) => s.stack === stack);
  if (evaluated === undefined) {
    synthesize();
    return;
  }
  stack.toTerraform = () => evaluated.json;
  try {
    synthesize();
  } finally {
    delete (stack as { toTerraform?: unknown }).toTerraform;
  }
}

export function installSynthGate(app: App, evaluate: () => GuardrailReport): void {
  let report: GuardrailReport | undefined;
  const written = new Set<TerraformStack>();

  const stacks = () => app.node.findAll().filter(TerraformStack.isStack);
  const gate = (stack: TerraformStack) => {
    if (gated.has(stack)) return;
    gated.add(stack);
    const inner: IStackSynthesizer = stack.synthesizer;
    stack.synthesizer = {
      synthesize(session: ISynthesisSession): void {
        if (report === undefined) {
          // Stacks added after the gate was installed are evaluated (and gated) too.
          stacks().forEach(gate);
          report = evaluate();
        }
        if (report.errors.length > 0) {
          // Nothing of this synth is on disk: the SARIF locates findings in the stack files without a line.
          writeSarif(report, join(session.outdir, SARIF_FILE), session.outdir, false);
          throw new GuardrailError(report);
        }
        writeEvaluated(stack, report, () => inner.synthesize(session));
        written.add(stack);
        if (report.stacks.every((s) => written.has(s.stack))) {
          writeSarif(report, join(session.outdir, SARIF_FILE), session.outdir);
        }
      },
    };
  };
  stacks().forEach(gate);
}
