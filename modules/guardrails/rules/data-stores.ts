/** DynamoDB tables and ECR repositories: recoverable, protected, encrypted; images scanned and immutable. */
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import { block, bool } from '../values';
import { type GuardrailRule, type RuleCategory, type Violation } from '../types';

function resourceRule(
  type: string,
  rule: {
    id: string;
    title: string;
    prevents: string;
    category: RuleCategory;
    checkov: string[];
    fix: string;
    problem: (resource: ElementView, app: SynthesizedApp) => string | undefined;
  },
): GuardrailRule {
  const { problem, fix, ...rest } = rule;
  return {
    ...rest,
    fix,
    check: (app) =>
      app.resources(type).flatMap((resource): Violation[] => {
        const message = problem(resource, app);
        return message === undefined ? [] : [{ element: resource, message, fix }];
      }),
  };
}

export const tablePointInTimeRecovery = resourceRule('aws_dynamodb_table', {
  id: 'CART121',
  title: 'DynamoDB tables have point-in-time recovery',
  prevents: 'A bad deploy or a buggy batch delete cannot be rolled back: carts are gone.',
  category: 'baseline',
  checkov: ['CKV_AWS_28'],
  fix: 'set point_in_time_recovery { enabled = true } (config.cart.pointInTimeRecovery).',
  problem: (table) =>
    bool(block(table.config.point_in_time_recovery)?.enabled) === true
      ? undefined
      : 'has no point-in-time recovery.',
});

export const tableDeletionProtection = resourceRule('aws_dynamodb_table', {
  id: 'CART122',
  title: 'DynamoDB tables have deletion protection (prod)',
  prevents: 'A `terraform destroy`, a renamed construct id or a console click deletes the production table.',
  category: 'production',
  checkov: [],
  fix: 'set deletion_protection_enabled = true (config.cart.deletionProtection).',
  problem: (table) =>
    bool(table.config.deletion_protection_enabled) === true ? undefined : 'has no deletion protection.',
});

export const tableEncryption = resourceRule('aws_dynamodb_table', {
  id: 'CART123',
  title: 'DynamoDB tables are encrypted with a KMS key (prod)',
  prevents:
    'Data encrypted only with the AWS-owned key: no key policy of your own, no CloudTrail record of key use, no way to revoke access by disabling the key.',
  category: 'production',
  // CKV_AWS_119 goes further and wants a customer-managed key (kms_key_arn).
  checkov: ['CKV_AWS_119'],
  fix: "set server_side_encryption { enabled = true, kms_key_arn = <customer key> } (config.cart.encryption: 'customer-managed').",
  problem: (table) =>
    bool(block(table.config.server_side_encryption)?.enabled) === true
      ? undefined
      : 'is encrypted with the AWS-owned key only (server_side_encryption is not enabled).',
});

export const repositoryScanOnPush = resourceRule('aws_ecr_repository', {
  id: 'CART131',
  title: 'ECR repositories scan images on push',
  prevents: 'Images with known CVEs reach the cluster without anyone being told.',
  category: 'baseline',
  checkov: ['CKV_AWS_163'],
  fix: 'set image_scanning_configuration { scan_on_push = true } (EcrRepository does).',
  problem: (repository) =>
    bool(block(repository.config.image_scanning_configuration)?.scan_on_push) === true
      ? undefined
      : 'does not scan images on push.',
});

export const repositoryImmutableTags = resourceRule('aws_ecr_repository', {
  id: 'CART132',
  title: 'ECR repositories have immutable tags',
  prevents:
    'A re-pushed tag silently changes what a Deployment runs; rollbacks and audits point at a different image.',
  category: 'baseline',
  checkov: ['CKV_AWS_51'],
  fix: 'set image_tag_mutability = "IMMUTABLE" (EcrRepository does).',
  problem: (repository) => {
    const mutability = repository.config.image_tag_mutability;
    return typeof mutability === 'string' && mutability.startsWith('IMMUTABLE')
      ? undefined
      : `has image_tag_mutability ${JSON.stringify(mutability ?? 'MUTABLE (default)')}.`;
  },
});
