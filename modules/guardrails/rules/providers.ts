/**
 * Provider and backend settings that belong to test harnesses only: the AWS emulator override (endpoints, dummy
 * keys, skipped credential checks) and a static Kubernetes token.
 */
import type { ElementView } from '../synthesized-app';
import { block, bool, blocks } from '../values';
import { type GuardrailRule, type Violation } from '../types';

const STATIC_KEY_ATTRIBUTES = ['access_key', 'secret_key', 'token'];
const SKIP_ATTRIBUTES = ['skip_credentials_validation', 'skip_requesting_account_id'];

function emulatorSettings(element: ElementView): string[] {
  const config = element.config;
  const found: string[] = [];
  // The provider renders `endpoints` as a list of one block, the backend as a map: blocks() reads both.
  const overridden = blocks(config.endpoints)
    .flatMap((e) => Object.entries(e))
    .filter(([, v]) => typeof v === 'string' && v !== '');
  if (overridden.length > 0) {
    found.push(`endpoints (${overridden.map(([k, v]) => `${k}=${String(v)}`).join(', ')})`);
  }
  if (typeof config.endpoint === 'string') found.push(`endpoint=${config.endpoint}`);
  found.push(...STATIC_KEY_ATTRIBUTES.filter((k) => typeof config[k] === 'string').map((k) => `static ${k}`));
  found.push(...SKIP_ATTRIBUTES.filter((k) => bool(config[k]) === true).map((k) => `${k}=true`));
  return found;
}

export const emulatorOverride: GuardrailRule = {
  id: 'CART009',
  title:
    'No AWS emulator override (provider/backend endpoints, static keys, skipped credential checks) in dev or prod',
  prevents:
    '`terraform apply` sends every call to a local emulator (`connect: connection refused`, or resources created in moto instead of AWS) with dummy keys AWS rejects (`InvalidClientTokenId: The security token included in the request is invalid`); state written to an emulated bucket is lost.',
  fix: 'remove awsEndpoint (only CART_ENV=emulator, for the integration tests, may set it); dev and prod use AWS with the default credential chain.',
  category: 'real-aws',
  checkov: [],
  check(app) {
    const targets = [...app.providers('aws'), ...app.backends().filter((b) => b.type === 's3')];
    return targets.flatMap((element): Violation[] => {
      const settings = emulatorSettings(element);
      if (settings.length === 0) return [];
      const what = element.kind === 'backend' ? 'the S3 backend' : 'the AWS provider';
      return [
        {
          element,
          message: `${what} sets ${settings.join(', ')}: the emulator override, outside the emulator environment.`,
          fix: 'remove awsEndpoint (only CART_ENV=emulator, for the integration tests, may set it); dev and prod use AWS with the default credential chain.',
        },
      ];
    });
  },
};

export const staticKubernetesToken: GuardrailRule = {
  id: 'CART010',
  title: 'Kubernetes and Helm providers authenticate with exec (aws eks get-token), not a static token',
  prevents:
    'An `aws_eks_cluster_auth` token expires after 15 minutes: long applies and later plans fail with `Error: Unauthorized` / `the server has asked for the client to provide credentials`.',
  fix: 'use exec authentication (addEksKubernetesProviders: `aws eks get-token --cluster-name …`).',
  category: 'eks-wiring',
  checkov: [],
  check(app) {
    const kubernetes = app.providers('kubernetes').filter((p) => p.config.token !== undefined);
    const helm = app.providers('helm').filter((p) => block(p.config.kubernetes)?.token !== undefined);
    return [...kubernetes, ...helm].map((element) => ({
      element,
      message: `the ${element.type} provider authenticates with a static token.`,
      fix: 'use exec authentication (addEksKubernetesProviders: `aws eks get-token --cluster-name …`), which fetches a fresh token for every call.',
    }));
  },
};
