import { isLoopbackHost } from '../../../oci/reference/host';
import type { RuleContext } from '../../contract/ruleContext';
import { DOCS } from './schema';

export type Provider = 'generic' | 'aws' | 'gcp' | 'azure';

/**
 * generic and aws: source-controller hands the endpoint to the MinIO client, which puts `https://`
 * (`http://` with insecure: true) in front of it and refuses anything but a host and port
 * (minio-go getEndpointURL and isValidEndpointURL, v7.2.0 as source-controller v1.9.1 uses it).
 */
export function checkMinioEndpoint(ctx: RuleContext, provider: Provider): void {
  const endpoint = ctx.string('spec', 'endpoint');
  if (endpoint === undefined) return;
  const range = ctx.valueRange('spec', 'endpoint');
  const insecure = ctx.string('spec', 'insecure') === 'true';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(endpoint);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    const withoutScheme = endpoint.slice(scheme[0].length);
    const why = `spec.endpoint must be host[:port] without a scheme for the ${provider} provider: source-controller's MinIO client adds https:// itself (http:// with insecure: true) and fails on "${endpoint}" ("Endpoint url cannot have fully qualified paths")`;
    const remove = { start: range[0], end: range[1], text: withoutScheme };
    if (name === 'https' && insecure)
      ctx.report(
        'BUCKET003',
        'error',
        `${why}. Its https:// also contradicts insecure: true (plain HTTP): remove the scheme, and insecure unless the endpoint serves plain HTTP`,
        range,
        DOCS,
      );
    else if (name === 'https') ctx.report('BUCKET003', 'error', why, range, DOCS, { title: 'Remove https://', edits: [remove] });
    else if (name === 'http') {
      const addInsecure = insecure ? undefined : ctx.addField(['spec'], '', ['insecure: true']);
      ctx.report(
        'BUCKET003',
        'error',
        `${why}. For plain HTTP, write the host alone and set insecure: true`,
        range,
        DOCS,
        insecure
          ? { title: 'Remove http://', edits: [remove] }
          : addInsecure && { title: 'Remove http:// and set insecure: true', edits: [remove, ...addInsecure.edits] },
      );
    } else
      ctx.report(
        'BUCKET003',
        'error',
        `spec.endpoint must be host[:port] for the ${provider} provider, e.g. s3.amazonaws.com or minio.example.com:9000, not a ${name}:// URL`,
        range,
        DOCS,
      );
    return;
  }
  const slash = endpoint.indexOf('/');
  const hostPort = slash < 0 ? endpoint : endpoint.slice(0, slash);
  if (slash >= 0 && endpoint.slice(slash) !== '/') {
    ctx.report(
      'BUCKET003',
      'error',
      `spec.endpoint "${endpoint}" has a path: source-controller's MinIO client takes host[:port] only ("Endpoint url cannot have fully qualified paths"). The bucket goes in spec.bucketName, a folder in it in spec.prefix`,
      range,
      DOCS,
    );
    return;
  }
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.replace(/:\d*$/, '');
  if (host.trim() === '') {
    ctx.report(
      'BUCKET003',
      'error',
      'spec.endpoint is empty: write the storage host, e.g. s3.amazonaws.com or minio.example.com:9000',
      range,
      DOCS,
    );
    return;
  }
  // The MinIO client refuses a bucket's virtual-hosted address on Amazon S3 and Google Cloud Storage.
  const virtual = /^(.+)\.(s3\.amazonaws\.com|storage\.googleapis\.com)$/.exec(host.toLowerCase());
  const googleOther = !virtual && host.toLowerCase().endsWith('.googleapis.com') && host.toLowerCase() !== 'storage.googleapis.com';
  if ((virtual && !/^s3[.-]/.test(virtual[1])) || googleOther) {
    const service = virtual?.[2] ?? 'storage.googleapis.com';
    const named = virtual?.[1];
    const bucketName = ctx.string('spec', 'bucketName');
    ctx.report(
      'BUCKET003',
      'error',
      `spec.endpoint "${endpoint}" is not the service's endpoint: source-controller's MinIO client refuses it ("${service === 's3.amazonaws.com' ? "Amazon S3 endpoint should be 's3.amazonaws.com'" : "Google Cloud Storage endpoint should be 'storage.googleapis.com'"}"). Write ${service}${named ? ` and put the bucket in spec.bucketName${bucketName !== undefined && bucketName !== named ? ` (it says "${bucketName}", the endpoint "${named}")` : ''}` : ''}`,
      range,
      DOCS,
      named !== undefined && named === bucketName
        ? { title: `Use ${service}`, edits: [{ start: range[0], end: range[1], text: endpoint.replace(hostPort, service) }] }
        : undefined,
    );
    return;
  }
  checkRegion(ctx, host.toLowerCase());
  if (insecure && !isLoopbackHost(hostPort))
    ctx.report(
      'BUCKET006',
      'info',
      `insecure: true sends requests, credentials included, to ${hostPort} over plain HTTP; use TLS (certSecretRef for a private CA) unless this endpoint is on a trusted network`,
      ctx.valueRange('spec', 'insecure'),
      DOCS,
    );
}

/** A regional Amazon S3 endpoint and a different spec.region: requests are signed for the wrong region. */
function checkRegion(ctx: RuleContext, host: string): void {
  const region = ctx.string('spec', 'region');
  const endpointRegion = /^s3[.-](?:dualstack\.)?([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
  if (region === undefined || endpointRegion === undefined || region === endpointRegion) return;
  ctx.report(
    'BUCKET005',
    'warning',
    `spec.region "${region}" is not the region of the endpoint (${endpointRegion}): the MinIO client signs requests for spec.region, and S3 refuses a signature for another region. Make them agree`,
    ctx.valueRange('spec', 'region'),
    DOCS,
  );
}

/** azure: the endpoint is the blob service URL, given as it is to the Azure SDK, which needs its scheme. */
export function checkAzureEndpoint(ctx: RuleContext): void {
  const endpoint = ctx.string('spec', 'endpoint');
  if (endpoint === undefined) return;
  const range = ctx.valueRange('spec', 'endpoint');
  const url = /^(https?):\/\/([^/?#]+)/i.exec(endpoint);
  if (!url) {
    const bare = !/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) && endpoint.trim() !== '';
    ctx.report(
      'BUCKET003',
      'error',
      `spec.endpoint must be the storage account's blob service URL for the azure provider, e.g. https://<account>.blob.core.windows.net: the Azure SDK fails on "${endpoint}" ("no Host in request URL")`,
      range,
      DOCS,
      bare ? { title: 'Add https://', edits: [{ start: range[0], end: range[0], text: 'https://' }] } : undefined,
    );
    return;
  }
  if (url[1].toLowerCase() === 'http' && !isLoopbackHost(url[2]))
    ctx.report(
      'BUCKET006',
      'info',
      `http:// sends requests, credentials included, to ${url[2]} over plain HTTP; use https:// unless this endpoint is on a trusted network`,
      range,
      DOCS,
    );
}

/** gcp: source-controller's GCS client always talks to Google Cloud Storage; spec.endpoint is never read. */
export function checkGcpEndpoint(ctx: RuleContext): void {
  const endpoint = ctx.string('spec', 'endpoint');
  if (endpoint === undefined) return;
  const host = endpoint
    .replace(/^https?:\/\//i, '')
    .split('/')[0]
    .replace(/:\d*$/, '')
    .toLowerCase();
  if (host === 'storage.googleapis.com') return;
  ctx.report(
    'BUCKET005',
    'warning',
    `The gcp provider ignores spec.endpoint: source-controller's GCS client always uses storage.googleapis.com, not "${endpoint}". Write storage.googleapis.com, or use the generic provider for another S3-compatible store`,
    ctx.valueRange('spec', 'endpoint'),
    DOCS,
  );
}

/** Fields only the MinIO client (generic, aws) reads: with azure or gcp they change nothing. */
export function checkIgnoredFields(ctx: RuleContext, provider: Provider): void {
  if (provider !== 'azure' && provider !== 'gcp') return;
  if (ctx.string('spec', 'insecure') === 'true')
    ctx.report(
      'BUCKET005',
      'warning',
      provider === 'azure'
        ? `The azure provider ignores insecure: the scheme of spec.endpoint decides${/^https:/i.test(ctx.string('spec', 'endpoint') ?? '') ? ', and it says https' : ''}. Write http:// in the endpoint for plain HTTP, or remove insecure`
        : 'The gcp provider ignores insecure: Google Cloud Storage is always reached over HTTPS. Remove it',
      ctx.keyRange('spec', 'insecure'),
      DOCS,
    );
  if (ctx.has('spec', 'certSecretRef'))
    ctx.report(
      'BUCKET005',
      'warning',
      `The ${provider} provider ignores spec.certSecretRef: only the generic and aws providers' client uses a custom CA or client certificate`,
      ctx.keyRange('spec', 'certSecretRef'),
      DOCS,
    );
}
