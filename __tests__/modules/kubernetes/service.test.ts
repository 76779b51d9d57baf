import { describe, expect, test } from 'vitest';
import { Service, type ServiceProps } from '../../../modules/kubernetes/service';
import { onlyResource, synthScope, type SynthJson } from '../../helpers/synth';

const PROPS: ServiceProps = {
  name: 'web',
  namespace: 'shop',
  selector: { app: 'web' },
  ports: [{ name: 'http', port: 80 }],
};

function synth(props: Partial<ServiceProps> = {}): SynthJson {
  return synthScope((scope) => new Service(scope, 'web', { ...PROPS, ...props }));
}

describe('Service', () => {
  test("minimal props: Kubernetes' default type, TCP, the container port of the same name", () => {
    expect(onlyResource(synth(), 'kubernetes_service_v1')).toEqual({
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        selector: { app: 'web' },
        port: [{ name: 'http', port: 80, target_port: 'http', protocol: 'TCP' }],
      },
    });
  });

  test('NodePort with a fixed node port, labels, an explicit target port and protocol', () => {
    expect(
      onlyResource(
        synth({
          labels: { app: 'web', tier: 'front' },
          type: 'NodePort',
          ports: [
            { name: 'http', port: 80, nodePort: 30080 },
            { name: 'dns', port: 53, targetPort: '5353', protocol: 'UDP' },
          ],
        }),
        'kubernetes_service_v1',
      ),
    ).toEqual({
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
      spec: {
        type: 'NodePort',
        selector: { app: 'web' },
        port: [
          { name: 'http', port: 80, target_port: 'http', protocol: 'TCP', node_port: 30080 },
          { name: 'dns', port: 53, target_port: '5353', protocol: 'UDP' },
        ],
      },
    });
  });

  test('ClusterIP stated explicitly; the ports are exposed as given', () => {
    let service: Service | undefined;
    const json = synthScope((scope) => {
      service = new Service(scope, 'web', { ...PROPS, type: 'ClusterIP' });
    });
    expect(onlyResource(json, 'kubernetes_service_v1')).toMatchObject({ spec: { type: 'ClusterIP' } });
    expect(service?.ports).toEqual([{ name: 'http', port: 80 }]);
  });

  test.each([
    ['the name starts with a digit', { name: '1web' }, 'Service name: "1web" must be a DNS-1035 label'],
    [
      'the namespace is not a DNS label',
      { namespace: 'Shop' },
      'Service namespace: "Shop" must be a DNS-1123 label',
    ],
    ['the selector is empty', { selector: {} }, 'Service selector: {} would select no pods'],
    ['there are no ports', { ports: [] }, 'Service ports: [] — give at least one port'],
    [
      'a port is out of range',
      { ports: [{ name: 'http', port: 70_000 }] },
      'Service ports[http].port: 70000 must be an integer in 1-65535',
    ],
    [
      'a port name has an underscore',
      { ports: [{ name: 'my_port', port: 80 }] },
      'Service ports[].name: "my_port" must be a port name',
    ],
    [
      'a node port is set on a ClusterIP Service',
      { ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
      'Service ports[http].nodePort: 30080 needs type NodePort',
    ],
    [
      'a node port is outside the range',
      { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 8080 }] },
      'Service ports[http].nodePort: 8080 must be an integer in 30000-32767',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synth(override as Partial<ServiceProps>)).toThrow(message);
  });
});
