import { describe, expect, test } from 'vitest';
import { zoneIdProblem } from '../../modules/availability-zones';

describe('zoneIdProblem', () => {
  test.each([
    ['us-east-1', 'use1-az1'],
    ['us-east-1', 'use1-az6'],
    ['us-west-2', 'usw2-az4'],
    ['eu-west-1', 'euw1-az3'],
    ['eu-central-1', 'euc1-az2'],
    ['ap-southeast-2', 'apse2-az1'],
  ])('%s accepts %s', (region, zoneId) => {
    expect(zoneIdProblem(region, zoneId)).toBeUndefined();
  });

  test.each([
    ['us-east-1', 'us-east-1a', 'must be an availability zone id such as use1-az1'],
    ['us-east-1', 'usw2-az1', 'must be a zone of us-east-1 (its zone ids start with use1-)'],
    ['eu-west-1', 'euw2-az1', 'must be a zone of eu-west-1 (its zone ids start with euw1-)'],
    [
      'us-east-1',
      'use1-az3',
      'is a zone where EKS places no control plane (CreateCluster fails with UnsupportedAvailabilityZoneException); pick another zone id of us-east-1',
    ],
    [
      'us-west-1',
      'usw1-az2',
      'is a zone where EKS places no control plane (CreateCluster fails with UnsupportedAvailabilityZoneException); pick another zone id of us-west-1',
    ],
    [
      'ca-central-1',
      'cac1-az3',
      'is a zone where EKS places no control plane (CreateCluster fails with UnsupportedAvailabilityZoneException); pick another zone id of ca-central-1',
    ],
    [
      'xx-moon-1',
      'xxm1-az1',
      'region xx-moon-1 has no known zone-id prefix; add it to ZONE_ID_PREFIX_OF_REGION (modules/availability-zones.ts)',
    ],
  ])('%s refuses %s', (region, zoneId, message) => {
    expect(zoneIdProblem(region, zoneId)).toBe(message);
  });
});
