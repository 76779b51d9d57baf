import { describe, expect, test } from 'vitest';
import { EcrRepository, type EcrRepositoryProps } from '../../modules/ecr-repository';
import { onlyResource, resourceIds, synthScope } from '../helpers/synth';

const PROPS: EcrRepositoryProps = { repositoryName: 'retail-store/cart' };

describe('EcrRepository', () => {
  test('minimal props: immutable tags, scan on push, AES-256, not force-deleted', () => {
    const json = synthScope((scope) => new EcrRepository(scope, 'repo', PROPS));
    expect(onlyResource(json, 'aws_ecr_repository')).toMatchObject({
      name: 'retail-store/cart',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'AES256' }],
      force_delete: false,
    });
  });

  test('lifecycle: untagged images expire after 14 days, the last 50 tagged are kept', () => {
    const json = synthScope((scope) => new EcrRepository(scope, 'repo', PROPS));
    const [repoId] = resourceIds(json, 'aws_ecr_repository');
    const lifecycle = onlyResource(json, 'aws_ecr_lifecycle_policy');
    expect(lifecycle.repository).toBe(`\${aws_ecr_repository.${repoId}.name}`);
    expect(JSON.parse(lifecycle.policy as string)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: 'Expire untagged images 14 days after push',
          selection: {
            tagStatus: 'untagged',
            countType: 'sinceImagePushed',
            countUnit: 'days',
            countNumber: 14,
          },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: 'Keep the last 50 tagged images',
          selection: {
            tagStatus: 'tagged',
            tagPatternList: ['*'],
            countType: 'imageCountMoreThan',
            countNumber: 50,
          },
          action: { type: 'expire' },
        },
      ],
    });
  });

  test('overrides: KMS with a customer key, mutable tags, other retention', () => {
    const json = synthScope(
      (scope) =>
        new EcrRepository(scope, 'repo', {
          ...PROPS,
          encryption: 'KMS',
          kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc',
          immutableTags: false,
          scanOnPush: false,
          untaggedExpiryDays: 3,
          maxTaggedImages: 5,
          forceDelete: true,
        }),
    );
    expect(onlyResource(json, 'aws_ecr_repository')).toMatchObject({
      image_tag_mutability: 'MUTABLE',
      image_scanning_configuration: { scan_on_push: false },
      encryption_configuration: [
        { encryption_type: 'KMS', kms_key: 'arn:aws:kms:us-east-1:123456789012:key/abc' },
      ],
      force_delete: true,
    });
    const rules = JSON.parse(onlyResource(json, 'aws_ecr_lifecycle_policy').policy as string).rules;
    expect(rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber)).toEqual([3, 5]);
  });

  test.each([
    [
      'repositoryName has capitals',
      { repositoryName: 'Retail/Cart' },
      'EcrRepository repositoryName: "Retail/Cart"',
    ],
    [
      'repositoryName ends with a separator',
      { repositoryName: 'cart/' },
      'EcrRepository repositoryName: "cart/"',
    ],
    ['encryption is unknown', { encryption: 'SSE' as never }, 'EcrRepository encryption: "SSE" not allowed'],
    [
      'a KMS key is given without KMS encryption',
      { kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/x' },
      'EcrRepository kmsKeyArn: set, but encryption is "AES256"',
    ],
    ['untaggedExpiryDays is 0', { untaggedExpiryDays: 0 }, 'EcrRepository untaggedExpiryDays: 0 must be'],
    ['maxTaggedImages is fractional', { maxTaggedImages: 2.5 }, 'EcrRepository maxTaggedImages: 2.5 must be'],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synthScope((scope) => new EcrRepository(scope, 'repo', { ...PROPS, ...override }))).toThrow(
      message,
    );
  });
});
