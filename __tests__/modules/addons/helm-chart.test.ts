import { describe, expect, test } from 'vitest';
import { HelmChart } from '../../../modules/addons/helm-chart';
import { onlyResource, synthScope } from '../../helpers/synth';

const CHART = { chart: 'demo', repository: 'https://charts.example.com', version: '1.2.3' };

describe('HelmChart', () => {
  test('minimal props: pinned chart, empty values, atomic wait, no depends_on', () => {
    const json = synthScope(
      (scope) => new HelmChart(scope, 'c', { releaseName: 'demo', chart: CHART, namespace: 'ns' }),
    );
    expect(onlyResource(json, 'helm_release')).toEqual({
      name: 'demo',
      chart: 'demo',
      repository: 'https://charts.example.com',
      version: '1.2.3',
      namespace: 'ns',
      create_namespace: false,
      values: ['{}'],
      wait: true,
      atomic: true,
      cleanup_on_fail: true,
      timeout: 600,
    });
  });

  test('wait false turns atomic off too (atomic would wait anyway)', () => {
    const json = synthScope(
      (scope) =>
        new HelmChart(scope, 'c', {
          releaseName: 'd',
          chart: CHART,
          namespace: 'ns',
          wait: false,
          timeoutSeconds: 60,
        }),
    );
    expect(onlyResource(json, 'helm_release')).toMatchObject({ wait: false, atomic: false, timeout: 60 });
  });

  test('values are one JSON document with exact types', () => {
    const json = synthScope(
      (scope) =>
        new HelmChart(scope, 'c', {
          releaseName: 'd',
          chart: CHART,
          namespace: 'ns',
          values: { 'dotted.key': { list: [{ a: 1 }], flag: false } },
        }),
    );
    expect(onlyResource(json, 'helm_release').values).toEqual([
      '{"dotted.key":{"list":[{"a":1}],"flag":false}}',
    ]);
  });

  test.each(['1.2', 'latest', '>=1.0.0', ''])('throws when the chart version is %j', (version) => {
    expect(() =>
      synthScope(
        (scope) =>
          new HelmChart(scope, 'c', { releaseName: 'd', chart: { ...CHART, version }, namespace: 'ns' }),
      ),
    ).toThrow(`HelmChart chart.version: "${version}" for demo must be an exact version such as 1.2.3`);
  });
});
