import type { GuardrailRule } from '../types';
import {
  limitBelowRequest,
  privilegeEscalation,
  privilegedContainer,
  resourceLimits,
  rootContainer,
  writableRootFilesystem,
} from './containers';
import { capacityFits } from './capacity';
import { amiArchitectureFits, certificateRegionFits, regionZones } from './cross-field';
import {
  repositoryImmutableTags,
  repositoryScanOnPush,
  tableDeletionProtection,
  tableEncryption,
  tablePointInTimeRecovery,
} from './data-stores';
import { clusterLogging, clusterPublicEndpoint, clusterSecretsEncryption } from './eks-cluster';
import { createTable, endpointOverride } from './eks-environment';
import { gitopsSingleOwner } from './gitops-owner';
import { githubTrust } from './github-trust';
import { identityBinding } from './identity';
import { ingressPrivatePaths, internetIngressTls } from './ingress';
import { instanceIsolation } from './instances';
import { nodeMetadata } from './node-metadata';
import { secretProviderIdentity } from './secret-provider-identity';
import { emulatorOverride, staticKubernetesToken } from './providers';
import { openIngress } from './security-groups';
import {
  bucketEncryption,
  bucketPublicAccess,
  bucketTlsOnly,
  bucketVersioning,
  stateBucketForceDestroy,
} from './state-bucket';
import { staticCredentials } from './static-credentials';
import { tableAndRegion } from './wiring';
import { missingActions, wildcardPermissions } from './workload-iam';

/** Every rule, in id order: the guide's mistakes (CART001-013), then the baseline and cross-field checks (CART1xx). */
export const RULES: readonly GuardrailRule[] = [
  staticCredentials,
  endpointOverride,
  createTable,
  tableAndRegion,
  identityBinding,
  missingActions,
  wildcardPermissions,
  nodeMetadata,
  emulatorOverride,
  staticKubernetesToken,
  githubTrust,
  gitopsSingleOwner,
  secretProviderIdentity,
  instanceIsolation,
  capacityFits,
  bucketVersioning,
  bucketEncryption,
  bucketPublicAccess,
  bucketTlsOnly,
  stateBucketForceDestroy,
  clusterSecretsEncryption,
  clusterLogging,
  clusterPublicEndpoint,
  tablePointInTimeRecovery,
  tableDeletionProtection,
  tableEncryption,
  repositoryScanOnPush,
  repositoryImmutableTags,
  rootContainer,
  writableRootFilesystem,
  privilegedContainer,
  privilegeEscalation,
  resourceLimits,
  limitBelowRequest,
  openIngress,
  regionZones,
  amiArchitectureFits,
  certificateRegionFits,
  internetIngressTls,
  ingressPrivatePaths,
];

/** Rule by id. */
export const RULES_BY_ID: ReadonlyMap<string, GuardrailRule> = new Map(RULES.map((r) => [r.id, r]));
