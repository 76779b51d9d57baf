/**
 * Static AWS credentials anywhere the SDK (or a person) can find them on EKS: the variables in a container's
 * effective environment (any workload type, envFrom and patches included), keys of any ConfigMap or Secret, an
 * access key id under any name, and shared credentials files mounted where the SDK reads them.
 */
import { isUnset } from '@cart-platform/service/env-parsing';
import {
  ACCESS_KEY_ID,
  FILE_CREDENTIAL_KEYS,
  STATIC_KEY_VARIABLES,
  isSet,
  masked,
  parseIni,
  sdkFiles,
} from '../aws-sdk';
import { describeContainer } from '../cart';
import { describeValue } from '../environment';
import { dataEntries, kubernetesModel, type ContainerView } from '../kubernetes-model';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { unique } from './violations';

const STATIC_KEYS_EFFECT =
  "the SDK's credential chain takes static keys before the Pod Identity or IRSA credentials EKS injects: dummy keys fail every call with `UnrecognizedClientException: The security token included in the request is invalid`; real keys put long-lived credentials in the cluster and bypass the least-privilege role.";
const KEY_SHAPED_EFFECT =
  'a long-lived access key in the cluster: anyone who can read the pod spec, ConfigMap or Secret can act as its IAM user.';
const KEY_SHAPED_FIX =
  'remove the key and deactivate it in IAM; give the workload a role through Pod Identity instead.';
const STATIC_KEYS_FIX =
  "remove them: on EKS the SDK's default chain takes the credentials of the service account's Pod Identity association (or IRSA role).";

/** A credential for a message: an access key id masked, a secret never shown, an unknown value by its origin. */
function credentialShown(name: string, text: string | undefined, origin: string): string {
  if (text === undefined) return origin;
  return name === 'AWS_ACCESS_KEY_ID' ? masked(text) : 'a secret value';
}

function staticKeysInEnvironment(view: ContainerView): Violation[] {
  const own = [...view.environment.values()].filter((v) => !v.viaEnvFrom);
  const keys = own.filter((v) => STATIC_KEY_VARIABLES.includes(v.name) && isSet(v));
  const shaped = own.filter(
    (v) => !STATIC_KEY_VARIABLES.includes(v.name) && v.text !== undefined && ACCESS_KEY_ID.test(v.text),
  );
  return [
    ...keys.map((v) => ({
      element: v.source,
      message: `${v.where} sets ${v.name} (${credentialShown(v.name, v.text, describeValue(v))}) for ${describeContainer(view)}: static AWS credentials in a workload on EKS.`,
      effect: STATIC_KEYS_EFFECT,
      fix: STATIC_KEYS_FIX,
    })),
    ...shaped.map((v) => ({
      element: v.source,
      message: `${v.where} sets ${v.name} to an AWS access key id (${masked(v.text ?? '')}) for ${describeContainer(view)}.`,
      effect: KEY_SHAPED_EFFECT,
      fix: KEY_SHAPED_FIX,
    })),
  ];
}

function credentialFiles(app: SynthesizedApp, view: ContainerView): Violation[] {
  const { objects } = kubernetesModel(app);
  return sdkFiles(app, objects, view.pod, view.container, view.environment).flatMap(
    ({ file, role, wanted, variable }) => {
      const settings = file.content === undefined ? undefined : parseIni(file.content);
      const credentials =
        settings === undefined
          ? []
          : [...settings].filter(([, keys]) => FILE_CREDENTIAL_KEYS.some((k) => keys.has(k)));
      if (settings !== undefined && credentials.length === 0) return [];
      const pointer =
        variable === undefined
          ? `where the SDK looks by default (~/.aws/${role})`
          : `where ${variable}=${wanted} points`;
      const what =
        credentials.length > 0
          ? `holds credentials (${credentials.map(([section, keys]) => `[${section}] ${FILE_CREDENTIAL_KEYS.filter((k) => keys.has(k)).join(', ')}`).join('; ')})`
          : 'has content synth cannot read';
      return [
        {
          element: view.pod.source,
          message: `${describeContainer(view)} mounts ${file.origin} at ${file.path}, ${pointer}; the file ${what}.`,
          effect: `the SDK reads the shared ${role} file before the Pod Identity or IRSA credentials EKS injects, so the pod runs as whatever the file names — or fails with \`UnrecognizedClientException\` on stale keys.`,
          fix: `do not mount AWS ${role} files into workloads on EKS${variable === undefined ? '' : ` and remove ${variable}`}; use Pod Identity.`,
        },
      ];
    },
  );
}

function staticKeysInData(app: SynthesizedApp): Violation[] {
  return dataEntries(app).flatMap((entry): Violation[] => {
    const named =
      STATIC_KEY_VARIABLES.includes(entry.key) && (entry.text === undefined || !isUnset(entry.text));
    const shaped = entry.text !== undefined ? ACCESS_KEY_ID.exec(entry.text)?.[0] : undefined;
    if (named) {
      const value = credentialShown(entry.key, entry.text, 'a value synth cannot read');
      return [
        {
          element: entry.source,
          message: `${entry.where} ${entry.key} holds static AWS credentials (${value}).`,
          effect: STATIC_KEYS_EFFECT,
          fix: STATIC_KEYS_FIX,
        },
      ];
    }
    if (shaped === undefined) return [];
    return [
      {
        element: entry.source,
        message: `${entry.where} ${entry.key} holds an AWS access key id (${masked(shaped)}).`,
        effect: KEY_SHAPED_EFFECT,
        fix: KEY_SHAPED_FIX,
      },
    ];
  });
}

export const staticCredentials: GuardrailRule = {
  id: 'CART001',
  title: 'No static AWS credentials (keys in env, ConfigMaps, Secrets or mounted credentials files) on EKS',
  prevents:
    "The SDK takes static keys before Pod Identity: the local world's dummy keys fail every call with `UnrecognizedClientException: The security token included in the request is invalid`; real keys put long-lived credentials in the cluster and bypass the least-privilege role.",
  fix: STATIC_KEYS_FIX,
  category: 'eks-wiring',
  checkov: [],
  check: (app) => {
    const containers = kubernetesModel(app).containers;
    return unique([
      ...staticKeysInData(app),
      ...containers.flatMap(staticKeysInEnvironment),
      ...containers.flatMap((c) => credentialFiles(app, c)),
    ]);
  },
};
