import { describe, expect, test } from 'vitest';
import { HelmChart } from '../../../modules/addons/helm-chart';
import {
  SECRETS_STORE_CSI,
  SECRETS_STORE_CSI_DEFAULTS,
  SecretsStoreCsi,
} from '../../../modules/addons/secrets-store-csi';
import { resourceIds, resourcesOf, synthScope } from '../../helpers/synth';
import { CLUSTER_CONTEXT, releaseValues } from './fixtures';

function releases(json: ReturnType<typeof synthScope>) {
  return Object.fromEntries(resourcesOf(json, 'helm_release').map((r) => [r.name as string, r]));
}

describe('SecretsStoreCsi', () => {
  test('minimal props: the driver chart 1.6.0 with sync, rotation and the Pod Identity token audience', () => {
    const json = synthScope((scope) => new SecretsStoreCsi(scope, 'sscsi'));
    const driver = releases(json)['secrets-store-csi-driver'];
    expect(driver).toMatchObject({
      chart: 'secrets-store-csi-driver',
      repository: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts',
      version: '1.6.0',
      namespace: 'kube-system',
      wait: true,
    });
    expect(releaseValues(driver)).toEqual({
      syncSecret: { enabled: true },
      enableSecretRotation: true,
      rotationPollInterval: '2m',
      tokenRequests: [{ audience: 'sts.amazonaws.com' }, { audience: 'pods.eks.amazonaws.com' }],
    });
  });

  test('minimal props: the AWS provider chart 3.1.1 without its bundled driver, after the driver', () => {
    const json = synthScope((scope) => new SecretsStoreCsi(scope, 'sscsi'));
    const provider = releases(json)['secrets-store-csi-driver-provider-aws'];
    expect(provider).toMatchObject({
      chart: 'secrets-store-csi-driver-provider-aws',
      repository: 'https://aws.github.io/secrets-store-csi-driver-provider-aws',
      version: '3.1.1',
      namespace: 'kube-system',
    });
    expect(releaseValues(provider)).toEqual({ 'secrets-store-csi-driver': { install: false } });
    const driverId = resourceIds(json, 'helm_release').find((id) => id.includes('driver'));
    expect(provider.depends_on).toEqual([`helm_release.${driverId}`]);
  });

  test('versions, rotation interval and dependsOn come from props', () => {
    const json = synthScope((scope) => {
      const sscsi = new SecretsStoreCsi(scope, 'sscsi', {
        driverChartVersion: '1.5.4',
        providerChartVersion: '2.0.0',
        rotationPollInterval: '30s',
      });
      new SecretsStoreCsi(scope, 'after', { dependsOn: [sscsi.provider.release] });
    });
    const byId = json.resource?.helm_release ?? {};
    const id = (prefix: string) => Object.keys(byId).find((k) => k.startsWith(prefix)) as string;
    expect([byId[id('sscsi_driver')].version, byId[id('sscsi_provider')].version]).toEqual([
      '1.5.4',
      '2.0.0',
    ]);
    expect(releaseValues(byId[id('sscsi_driver')]).rotationPollInterval).toBe('30s');
    expect(byId[id('after_driver')].depends_on).toEqual([`helm_release.${id('sscsi_provider')}`]);
    expect(byId[id('after_provider')].depends_on).toEqual([
      `helm_release.${id('sscsi_provider')}`,
      `helm_release.${id('after_driver')}`,
    ]);
  });

  test.each(['2', '1d', 'soon'])('throws when rotationPollInterval is %s', (interval) => {
    expect(() =>
      synthScope((scope) => new SecretsStoreCsi(scope, 's', { rotationPollInterval: interval })),
    ).toThrow(`SecretsStoreCsi rotationPollInterval: "${interval}" must be a duration such as 2m`);
  });
});

describe('SECRETS_STORE_CSI', () => {
  test("the defaults are the construct's pinned charts and interval", () => {
    expect(SECRETS_STORE_CSI.defaults).toEqual({
      enabled: true,
      chartVersion: SECRETS_STORE_CSI_DEFAULTS.driver.chart.version,
      providerChartVersion: SECRETS_STORE_CSI_DEFAULTS.provider.chart.version,
      rotationPollInterval: SECRETS_STORE_CSI_DEFAULTS.rotationPollInterval,
    });
    expect([SECRETS_STORE_CSI.aws, SECRETS_STORE_CSI.providesWebhooks]).toEqual([undefined, undefined]);
  });

  test('cluster part: both releases wait for the webhook providers it is given', () => {
    const json = synthScope((scope) => {
      const webhook = new HelmChart(scope, 'webhook', {
        releaseName: 'webhook',
        chart: { chart: 'w', repository: 'https://example.com', version: '1.0.0' },
        namespace: 'kube-system',
      });
      SECRETS_STORE_CSI.cluster?.(
        scope,
        { ...CLUSTER_CONTEXT, webhooks: [webhook.release] },
        { ...SECRETS_STORE_CSI.defaults, chartVersion: '1.5.4' },
      );
    });
    const byId = json.resource?.helm_release ?? {};
    const id = (prefix: string) => Object.keys(byId).find((k) => k.startsWith(prefix)) as string;
    expect(byId[id('secrets-store-csi_driver')].version).toBe('1.5.4');
    expect(byId[id('secrets-store-csi_driver')].depends_on).toEqual([`helm_release.${id('webhook')}`]);
    expect(byId[id('secrets-store-csi_provider')].depends_on).toEqual([
      `helm_release.${id('webhook')}`,
      `helm_release.${id('secrets-store-csi_driver')}`,
    ]);
  });
});
