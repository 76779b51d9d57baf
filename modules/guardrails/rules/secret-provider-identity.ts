/**
 * A SecretProviderClass of the AWS provider (ASCP) fetches with the identity mode its `usePodIdentity` names, and the
 * pods that mount it must get their role that way: an EKS Pod Identity association for `"true"`, the IRSA
 * annotation on their ServiceAccount for `"false"` (or no value). Otherwise the volume never mounts and the pods
 * stay in ContainerCreating.
 */
import { SECRETS_STORE_CSI_DRIVER } from '../../secret-provider-class';
import { bindingsOf, describeBinding, type Binding } from '../identity';
import { kblock, kfield } from '../kubernetes-fields';
import { kubernetesModel } from '../kubernetes-model';
import type { KubeObject } from '../kubernetes-objects';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import type { PodModel, Volume } from '../workloads';

/**
 * ASCP reads `usePodIdentity` with Go's `strconv.ParseBool`; an absent or empty value means IRSA, anything else
 * fails the mount (aws/secrets-store-csi-driver-provider-aws, server/server.go).
 */
const PARSE_BOOL: Readonly<Record<string, boolean>> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

type Wanted = 'pod-identity' | 'irsa' | 'invalid' | 'unknown';

function wantedMode(app: SynthesizedApp, spc: KubeObject): { wanted: Wanted; written: string } {
  const raw = kfield(kblock(kblock(spc.config, 'spec'), 'parameters'), 'usePodIdentity');
  if (raw === undefined) return { wanted: 'irsa', written: 'no usePodIdentity' };
  const value = app.literal(raw, spc.source);
  if (value === undefined) return { wanted: 'unknown', written: 'a value synth cannot read' };
  const written = `usePodIdentity: ${JSON.stringify(value)}`;
  if (value === '') return { wanted: 'irsa', written };
  const parsed = PARSE_BOOL[value];
  if (parsed === undefined) return { wanted: 'invalid', written };
  return { wanted: parsed ? 'pod-identity' : 'irsa', written };
}

/** The SecretProviderClass an ASCP volume names, in the pod's namespace, when the app defines it. */
function mountedClass(app: SynthesizedApp, pod: PodModel, volume: Volume): KubeObject | undefined {
  const name = app.literal(volume.csi?.attributes.secretProviderClass, pod.source);
  if (name === undefined) return undefined;
  return kubernetesModel(app).objects.find(
    (o) =>
      o.kind === 'SecretProviderClass' &&
      o.name === name &&
      o.namespace === pod.namespace &&
      app.literal(kblock(o.config, 'spec')?.provider, o.source) === 'aws',
  );
}

function mismatch(
  pod: PodModel,
  spc: KubeObject,
  written: string,
  wanted: Wanted,
  found: Binding[],
): Violation {
  const account = `${pod.namespace ?? '?'}/${pod.serviceAccountName ?? '?'}`;
  const how = found.map(describeBinding).join('; ');
  if (wanted === 'invalid') {
    return {
      element: spc.source,
      message: `SecretProviderClass ${spc.name ?? '?'} has ${written}, which ASCP does not parse as a boolean.`,
      effect: `every mount fails with \`failed to parse usePodIdentity value\`: the pods of ${pod.source.path} stay in ContainerCreating.`,
      fix: 'write usePodIdentity as "true" (Pod Identity) or "false" (IRSA) — SecretProviderClass identityMode.',
    };
  }
  const asks = wanted === 'pod-identity' ? 'EKS Pod Identity' : 'IRSA';
  return {
    element: spc.source,
    message: `SecretProviderClass ${spc.name ?? '?'} has ${written} (${asks}), but ${pod.source.path} mounts it as service account ${account}, which gets its role only through ${how}.`,
    effect:
      wanted === 'pod-identity'
        ? "ASCP asks the Pod Identity agent for the service account's credentials, and without an association the agent has none to give: the mount fails and the pods stay in ContainerCreating."
        : 'ASCP looks for the `eks.amazonaws.com/role-arn` annotation the service account does not carry (`An IAM role must be associated with service account`): the mount fails and the pods stay in ContainerCreating.',
    fix: `set usePodIdentity to "${wanted === 'pod-identity' ? 'false' : 'true'}" (SecretProviderClass identityMode from the WorkloadIdentity's mode), or bind the role the way the class asks.`,
  };
}

function podViolations(app: SynthesizedApp, pod: PodModel): Violation[] {
  const ascpVolumes = pod.volumes.filter(
    (v) => v.csi !== undefined && app.literal(v.csi.driver, pod.source) === SECRETS_STORE_CSI_DRIVER,
  );
  return ascpVolumes.flatMap((volume) => {
    const spc = mountedClass(app, pod, volume);
    if (spc === undefined) return [];
    const { wanted, written } = wantedMode(app, spc);
    if (wanted === 'unknown') return [];
    const found = bindingsOf(app, pod);
    if (wanted === 'invalid') return [mismatch(pod, spc, written, wanted, found)];
    // No binding at all is CART005's finding (or a binding outside the app): nothing to compare with.
    if (found.length === 0 || found.some((b) => b.kind === wanted)) return [];
    return [mismatch(pod, spc, written, wanted, found)];
  });
}

export const secretProviderIdentity: GuardrailRule = {
  id: 'CART013',
  title:
    "A SecretProviderClass's usePodIdentity matches how the mounting pods' service account gets its role (association vs IRSA annotation)",
  prevents:
    'The Secrets Store CSI volume never mounts — ASCP fetches with Pod Identity credentials the service account has no association for, or looks for an IRSA annotation it does not carry — and the pods stay in ContainerCreating (`FailedMount`).',
  fix: 'usePodIdentity "true" for a service account with a Pod Identity association, "false" for one with the IRSA role-arn annotation (SecretProviderClass identityMode = WorkloadIdentity mode).',
  category: 'eks-wiring',
  checkov: [],
  check: (app) => kubernetesModel(app).pods.flatMap((pod) => podViolations(app, pod)),
};
