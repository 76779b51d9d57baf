import { describe, expect, test } from 'vitest';
import { matchRoute, type Route } from './correction';
import { withoutLaunchTemplateTagSpecifications } from './ec2-launch-templates';
import { correctedNodegroup } from './eks-nodegroups';
import { clusterArnOf, clusterIssuer, describedCluster } from './eks-store';
import { authorizationFor, credentialScope, decodeAwsChunked, page } from './http';
import { parsePrincipal } from './iam';
import { childText, parseXml, unescapeXml } from './xml';

const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=emulator/20260101/us-east-1/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

describe('SigV4 credential scope', () => {
  test('names the service and region', () => {
    expect(credentialScope(AUTHORIZATION)).toEqual({ region: 'us-east-1', service: 'eks' });
    expect(credentialScope(undefined)).toEqual({});
  });

  test('re-scoped to another service, everything else kept', () => {
    expect(authorizationFor(AUTHORIZATION, 'sts')).toBe(AUTHORIZATION.replace('/eks/', '/sts/'));
  });
});

test('aws-chunked framing is removed, trailers and signatures ignored', () => {
  const body = Buffer.from(
    '5;chunk-signature=aa\r\nhello\r\n6;chunk-signature=bb\r\n world\r\n0;chunk-signature=cc\r\nx-amz-checksum-crc32:AAAA\r\n\r\n',
  );
  expect(decodeAwsChunked(body).toString()).toBe('hello world');
  expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow('bad chunk size');
});

describe('xml', () => {
  test('elements with their exact ranges and text', () => {
    const text = '<?xml version="1.0"?><a xmlns="x"><b>1 &amp; 2</b><c/><d><b>3</b></d></a>';
    const [root] = parseXml(text);
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c', 'd']);
    expect(childText(text, root, 'b')).toBe('1 & 2');
    expect(text.slice(root.children[2].start, root.children[2].end)).toBe('<d><b>3</b></d>');
  });

  test.each([
    ['<a><b></a>', '</a> at 6 closes <b>'],
    ['<a>', '<a> is never closed'],
    ['<a', 'no ">"'],
  ])('throws on malformed %s', (text, message) => {
    expect(() => parseXml(text)).toThrow(message);
  });

  test('entities and character references are unescaped', () => {
    expect(unescapeXml('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&#65;&#x42;&bogus;')).toBe(
      `<a href="x">'&'AB&bogus;`,
    );
  });
});

describe('withoutLaunchTemplateTagSpecifications', () => {
  const item = (type: string) =>
    `<item><resourceType>${type}</resourceType><tagSet><item><key>Name</key><value>n</value></item></tagSet></item>`;
  const response = (items: string) =>
    `<DescribeLaunchTemplateVersionsResponse><launchTemplateVersionSet><item><versionNumber>1</versionNumber><launchTemplateData><tagSpecificationSet>${items}</tagSpecificationSet></launchTemplateData></item></launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>`;

  test("drops the template's own tag specification, every other byte kept", () => {
    expect(withoutLaunchTemplateTagSpecifications(response(item('instance') + item('launch-template')))).toBe(
      response(item('instance')),
    );
  });

  test('drops the set when nothing else is in it; leaves a response without one alone', () => {
    const text = response(item('launch-template'));
    expect(withoutLaunchTemplateTagSpecifications(text)).toBe(
      text.replace(`<tagSpecificationSet>${item('launch-template')}</tagSpecificationSet>`, ''),
    );
    expect(withoutLaunchTemplateTagSpecifications(response(item('volume')))).toBe(response(item('volume')));
  });
});

describe('matchRoute', () => {
  const route = (extra: Partial<Route>): Route => ({
    operation: 'X',
    service: 'eks',
    method: 'GET',
    handle: () => Promise.reject(new Error('not called')),
    ...extra,
  });
  const request = (method: string, path: string, service = 'eks') => ({
    method,
    service,
    url: new URL(path, 'http://filler'),
  });

  test('decodes path parameters (an ARN arrives with its slashes encoded)', () => {
    const entry = route({ path: /^\/clusters\/(?<cluster>[^/]+)\/access-entries\/(?<principal>[^/]+)$/ });
    const arn = 'arn:aws:iam::123456789012:role/admins/ci';
    expect(
      matchRoute(entry, request('GET', `/clusters/c/access-entries/${encodeURIComponent(arn)}`), undefined),
    ).toEqual({ cluster: 'c', principal: arn });
    expect(matchRoute(entry, request('GET', `/clusters/c/access-entries/${arn}`), undefined)).toBeUndefined();
  });

  test.each<[string, Partial<Route>, ReturnType<typeof request>, string | undefined]>([
    ['another service', { path: /^\/$/ }, request('GET', '/', 's3'), undefined],
    ['another method', { path: /^\/$/ }, request('PUT', '/'), undefined],
    [
      'a missing S3 sub-resource',
      { service: 's3', subresource: 'policy' },
      request('GET', '/b?acl', 's3'),
      undefined,
    ],
    [
      'an S3 sub-resource where none may be',
      { service: 's3', noSubresource: true },
      request('GET', '/b?versions', 's3'),
      undefined,
    ],
    ['another query Action', { service: 'ec2', action: 'A' }, request('GET', '/', 'ec2'), 'B'],
  ])('does not match %s', (_label, extra, req, action) => {
    expect(matchRoute(route(extra), req, action)).toBeUndefined();
  });
});

test('page: maxResults and nextToken', () => {
  const url = (query: string) => new URL(`http://x/?${query}`);
  expect(page(['a', 'b', 'c'], url('maxResults=2'))).toEqual({ items: ['a', 'b'], nextToken: '2' });
  expect(page(['a', 'b', 'c'], url('maxResults=2&nextToken=2'))).toEqual({ items: ['c'] });
});

describe('EKS shapes', () => {
  test('a cluster reads back with the fields moto drops, AWS defaults where none were sent', () => {
    expect(describedCluster({ name: 'c', version: '1.33' }, {})).toEqual({
      name: 'c',
      version: '1.33',
      accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: 'EXTENDED' },
    });
    const fields = {
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: 'STANDARD' },
      zonalShiftConfig: { enabled: true },
      version: '1.34',
    };
    expect(describedCluster({ name: 'c', version: '1.33' }, fields)).toEqual({ name: 'c', ...fields });
  });

  test("a cluster's OIDC issuer is its own: 32 hex digits from its ARN in place of moto's shared id", () => {
    const moto = 'https://oidc.eks.us-east-1.amazonaws.com/id/AbCdEfGhIj';
    const dev = clusterIssuer(moto, 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev');
    const prod = clusterIssuer(moto, 'arn:aws:eks:us-east-1:123456789012:cluster/retail-prod');
    expect(dev).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(prod).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(prod).not.toBe(dev);
    expect(clusterIssuer(moto, 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev')).toBe(dev);
    const described = describedCluster(
      { arn: 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev', identity: { oidc: { issuer: moto } } },
      {},
    );
    expect(described.identity).toEqual({ oidc: { issuer: dev } });
  });

  test('a node group without remote access loses the one moto invents, and shows its update config', () => {
    const moto = {
      nodegroupName: 'g',
      remoteAccess: { ec2SshKey: 'eksKeypair' },
      resources: { autoScalingGroups: [{ name: 'eks-1' }], remoteAccessSecurityGroup: 'sg-1' },
      launchTemplate: { id: 'lt-1', version: '1' },
    };
    expect(
      correctedNodegroup(moto, {
        remoteAccessRequested: false,
        updateConfig: { maxUnavailable: 1 },
        version: { launchTemplate: { version: '2' } },
      }),
    ).toEqual({
      nodegroupName: 'g',
      resources: { autoScalingGroups: [{ name: 'eks-1' }] },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: 'lt-1', version: '2' },
    });
    expect(correctedNodegroup(moto, undefined)).toBe(moto);
  });

  test('ARNs', () => {
    expect(clusterArnOf('arn:aws:eks:us-east-1:123456789012:nodegroup/c/g/uuid')).toBe(
      'arn:aws:eks:us-east-1:123456789012:cluster/c',
    );
    expect(parsePrincipal('arn:aws:iam::123456789012:role/path/to/name')).toEqual({
      kind: 'role',
      name: 'name',
      account: '123456789012',
    });
    expect(parsePrincipal('arn:aws:sts::123456789012:assumed-role/name/session')).toBeUndefined();
  });
});
