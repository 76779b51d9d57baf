import type { GuardrailRule } from '../types';
import {
  privilegeEscalation,
  privilegedContainer,
  resourceLimits,
  rootContainer,
  writableRootFilesystem,
} from './containers';
import {
  repositoryImmutableTags,
  repositoryScanOnPush,
  tableDeletionProtection,
  tableEncryption,
  tablePointInTimeRecovery,
} from './data-stores';
import { clusterLogging, clusterPublicEndpoint, clusterSecretsEncryption } from './eks-cluster';
import { createTable, endpointOverride, staticCredentials } from './eks-environment';
import { nodeMetadata } from './node-metadata';
import { emulatorOverride, staticKubernetesToken } from './providers';
import { openIngress } from './security-groups';
import { bucketEncryption, bucketPublicAccess, bucketTlsOnly, bucketVersioning } from './state-bucket';
import { tableAndRegion, identityBinding } from './wiring';
import { missingActions, wildcardPermissions } from './workload-iam';

/** Every rule, in id order: the guide's mistakes (CART001-010), then the security baseline (CART1xx). */
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
  bucketVersioning,
  bucketEncryption,
  bucketPublicAccess,
  bucketTlsOnly,
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
  openIngress,
];

/** Rule by id. */
export const RULES_BY_ID: ReadonlyMap<string, GuardrailRule> = new Map(RULES.map((r) => [r.id, r]));
