/**
 * Container hardening, for every container and init container of every Kubernetes workload the app defines
 * (Helm charts are outside synth's view). Container settings override the pod's, as in Kubernetes.
 */
import { pods, type ContainerView, type PodView } from '../kubernetes';
import { block, bool, num, type SynthesizedApp } from '../synthesized-app';
import { type GuardrailRule, type RuleCategory, type Violation } from '../types';

function containerRule(rule: {
  id: string;
  title: string;
  prevents: string;
  category: RuleCategory;
  checkov: string[];
  fix: string;
  problem: (container: ContainerView, pod: PodView) => string | undefined;
}): GuardrailRule {
  const { problem, fix, ...rest } = rule;
  return {
    ...rest,
    check: (app: SynthesizedApp) =>
      pods(app).flatMap((pod) =>
        pod.containers.flatMap((container): Violation[] => {
          const message = problem(container, pod);
          if (message === undefined) return [];
          const which = `${container.init ? 'init container' : 'container'} "${container.name}"`;
          return [{ element: pod.workload, message: `${which} ${message}`, fix }];
        }),
      ),
  };
}

const context = (container: ContainerView) => block(container.config.security_context);
const podContext = (pod: PodView) => block(pod.spec.security_context);

export const rootContainer = containerRule({
  id: 'CART141',
  title: 'Containers do not run as root',
  prevents: 'A container escape or a writable host mount is root on the node.',
  category: 'baseline',
  checkov: ['CKV_K8S_6'],
  fix: 'set security_context { run_as_non_root = true, run_as_user = "<uid > 0>" } on the container or the pod.',
  problem: (container, pod) => {
    const user = num(context(container)?.run_as_user ?? podContext(pod)?.run_as_user);
    const nonRoot = bool(context(container)?.run_as_non_root ?? podContext(pod)?.run_as_non_root);
    if (user === 0) return 'runs as uid 0 (root).';
    if (nonRoot !== true && user === undefined)
      return 'may run as root (no run_as_non_root, no run_as_user).';
    return undefined;
  },
});

export const writableRootFilesystem = containerRule({
  id: 'CART142',
  title: 'Containers have a read-only root filesystem',
  prevents: "An attacker (or a bug) can modify the container's binaries and configuration at run time.",
  category: 'baseline',
  checkov: ['CKV_K8S_22'],
  fix: 'set security_context { read_only_root_filesystem = true } and mount an emptyDir where the process writes (/tmp).',
  problem: (container) =>
    bool(context(container)?.read_only_root_filesystem) === true
      ? undefined
      : 'has a writable root filesystem.',
});

export const privilegedContainer = containerRule({
  id: 'CART143',
  title: 'Containers are not privileged',
  prevents: "A privileged container has every capability and the host's devices: it owns the node.",
  category: 'always',
  checkov: ['CKV_K8S_16'],
  fix: 'remove security_context.privileged (or set it to false).',
  problem: (container) => (bool(context(container)?.privileged) === true ? 'is privileged.' : undefined),
});

export const privilegeEscalation = containerRule({
  id: 'CART144',
  title: 'Containers do not allow privilege escalation',
  prevents: 'setuid binaries in the image can gain more privileges than the process started with.',
  category: 'baseline',
  checkov: ['CKV_K8S_20'],
  fix: 'set security_context { allow_privilege_escalation = false } (Kubernetes defaults to true).',
  problem: (container) =>
    bool(context(container)?.allow_privilege_escalation) === false
      ? undefined
      : 'allows privilege escalation (allow_privilege_escalation is not false).',
});

export const resourceLimits = containerRule({
  id: 'CART145',
  title: 'Containers have CPU and memory limits',
  prevents: 'One runaway pod starves its neighbours on the node, or the node itself.',
  category: 'baseline',
  checkov: ['CKV_K8S_11', 'CKV_K8S_13'],
  fix: 'set resources { limits = { cpu = "…", memory = "…" } } (config.cart.resources).',
  problem: (container) => {
    const limits = block(block(container.config.resources)?.limits);
    const missing = ['cpu', 'memory'].filter((k) => limits?.[k] === undefined || limits[k] === '');
    return missing.length === 0 ? undefined : `has no ${missing.join(' or ')} limit.`;
  },
});
