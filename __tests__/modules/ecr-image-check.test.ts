import { describe, expect, test } from 'vitest';
import { EcrImageCheck } from '../../modules/ecr-image-check';
import { synthScope } from '../helpers/synth';

describe('EcrImageCheck', () => {
  test('reads exactly the repository and tag at plan time (no resource is created)', () => {
    const json = synthScope(
      (scope) => new EcrImageCheck(scope, 'check', { repositoryName: 'retail-dev/cart', imageTag: '1.0.0' }),
    );
    expect(Object.values(json.data?.aws_ecr_image ?? {})).toEqual([
      { repository_name: 'retail-dev/cart', image_tag: '1.0.0' },
    ]);
    expect(json.resource).toBeUndefined();
  });

  test.each([
    ['', 'EcrImageCheck imageTag: "" is not a Docker tag such as 1.0.0'],
    ['-rc1', 'EcrImageCheck imageTag: "-rc1" is not a Docker tag such as 1.0.0'],
    ['a b', 'EcrImageCheck imageTag: "a b" is not a Docker tag such as 1.0.0'],
  ])('throws when the tag is %j', (imageTag, message) => {
    expect(() =>
      synthScope(
        (scope) => new EcrImageCheck(scope, 'check', { repositoryName: 'retail-dev/cart', imageTag }),
      ),
    ).toThrow(message);
  });
});
