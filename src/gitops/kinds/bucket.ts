import { isLoopbackHost } from '../../oci/reference/host';
import { nodeAt, rangeOf, scalarString } from '../documents';
import type { RuleContext } from '../rules/context';
import { missingFluxSource } from '../rules/sourceRef';
import { fields } from '../schemas/fieldSpec';
import { DURATION, TIMEOUT_DURATION } from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import { declared } from '../sources';
import type { GitOpsKind } from './kind';

const GROUP = 'source.toolkit.fluxcd.io';
const DOCS = 'https://fluxcd.io/flux/components/source/buckets/';

const V1 = kindSchema(
  `${GROUP}/v1`,
  'Bucket',
  fields(`
interval! string ${DURATION} -- How often the bucket is listed for changes, e.g. 5m.
provider string enum=generic|aws|gcp|azure -- The storage API and where credentials come from: generic (any S3-compatible store, with secretRef), aws, gcp or azure. generic when left out.
endpoint! string -- The storage address: host[:port] without a scheme for generic and aws (e.g. minio.example.com:9000, s3.amazonaws.com), the blob service URL for azure (https://<account>.blob.core.windows.net).
bucketName! string -- Name of the bucket (an Azure container); a folder in it goes in prefix.
prefix string -- Only objects whose keys start with this are fetched (filtered by the server).
region string -- Region the bucket is in, when the endpoint needs one (e.g. us-east-1).
insecure boolean -- Connect over plain HTTP (generic and aws providers only).
secretRef object -- Secret with credentials: accesskey and secretkey for generic and aws, serviceaccount for gcp, the Azure fields for azure.
  name! string -- Name of the Secret.
serviceAccountName string -- A ServiceAccount for object-level workload identity (aws, azure, gcp); not with secretRef.
certSecretRef object -- Secret with ca.crt, and tls.crt and tls.key for a client certificate (generic provider).
  name! string -- Name of the Secret.
proxySecretRef object -- Secret with the address (and credentials) of an HTTP/S proxy.
  name! string -- Name of the Secret.
sts object -- A Security Token Service to fetch temporary credentials from (aws and generic providers).
  provider! string enum=aws|ldap -- aws with the aws provider, ldap with the generic provider.
  endpoint! string pattern=^(http|https)://.*$ -- The STS address, e.g. https://sts.amazonaws.com or the LDAP server.
  secretRef object -- Secret with username and password (ldap only).
    name! string -- Name of the Secret.
  certSecretRef object -- Secret with the TLS configuration for the STS endpoint (ldap only).
    name! string -- Name of the Secret.
ignore string -- Object keys to leave out, in .gitignore syntax; overrides the default exclusions.
timeout string ${TIMEOUT_DURATION} -- Limit for listing and fetching, e.g. 60s (hours are not accepted here).
suspend boolean -- Stop reconciling until set back to false.
`),
  { description: 'Flux Bucket: fetches the objects of an S3-compatible, Google Cloud Storage or Azure Blob Storage bucket as a source.' },
);

/**
 * Flux Bucket (source.toolkit.fluxcd.io/v1): a source from object storage. Its rules are what the
 * API server (the CRD's CEL rules) and source-controller's storage clients refuse or ignore: the
 * MinIO client (generic, aws) takes a host and no scheme, the Azure client a URL, the GCS client no
 * endpoint at all (internal/bucket/{minio,azure,gcp} at v1.9.1).
 */
export const bucket: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'Bucket' }],
  matches: (apiVersion, kind) => kind === 'Bucket' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V1],
  wholeObjectFields: [['bucketName'], ['endpoint'], ['interval']],
  check: checkBucket,
  declaredSources: (root) => {
    const name = nodeAt(root, 'metadata', 'name');
    return declared('Bucket', scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default', scalarString(name), rangeOf(name));
  },
  missingSource: missingFluxSource('Bucket', 'flux create source bucket'),
};

type Provider = 'generic' | 'aws' | 'gcp' | 'azure';

function checkBucket(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec')) return;
  // A patch without a provider takes the patched object's: provider rules then wait for the whole object.
  const written = ctx.string('spec', 'provider');
  const provider = (written ?? (ctx.whole ? 'generic' : undefined)) as Provider | undefined;
  if (ctx.has('spec', 'secretRef') && ctx.has('spec', 'serviceAccountName'))
    ctx.report(
      'BUCKET002',
      'error',
      'Set either spec.secretRef or spec.serviceAccountName, not both: the API server rejects the Bucket ("cannot set both .spec.secretRef and .spec.serviceAccountName")',
      ctx.keyRange('spec', 'serviceAccountName'),
      DOCS,
    );
  if (provider === 'generic' || provider === 'aws' || provider === 'gcp' || provider === 'azure') {
    checkServiceAccount(ctx, provider, written === undefined);
    checkSts(ctx, provider, written === undefined);
    if (provider === 'azure') checkAzureEndpoint(ctx);
    else if (provider === 'gcp') checkGcpEndpoint(ctx);
    else checkMinioEndpoint(ctx, provider);
    checkIgnoredFields(ctx, provider);
  }
  checkBucketName(ctx, provider);
  checkIgnore(ctx);
}

/** The CRD's CEL rule: workload identity (serviceAccountName) is for the cloud providers only. */
function checkServiceAccount(ctx: RuleContext, provider: Provider, defaulted: boolean): void {
  if (ctx.has('spec', 'serviceAccountName') && provider === 'generic')
    ctx.report(
      'BUCKET002',
      'error',
      `spec.serviceAccountName does not work with the generic provider${defaulted ? ' (the default when spec.provider is left out)' : ''}: the API server rejects it. Use secretRef (accesskey, secretkey), or set provider to aws, azure or gcp for workload identity`,
      ctx.keyRange('spec', 'serviceAccountName'),
      DOCS,
    );
}

/** The CRD's CEL rules on `spec.sts`: which STS provider goes with which bucket provider, and what the aws one takes. */
function checkSts(ctx: RuleContext, provider: Provider, defaulted: boolean): void {
  if (!ctx.has('spec', 'sts')) return;
  if (provider === 'gcp' || provider === 'azure') {
    ctx.report(
      'BUCKET001',
      'error',
      `spec.sts only works with the aws and generic providers, not ${provider}`,
      ctx.keyRange('spec', 'sts'),
      DOCS,
    );
    return;
  }
  const sts = ctx.string('spec', 'sts', 'provider');
  const wanted = provider === 'aws' ? 'aws' : 'ldap';
  if (sts !== undefined && sts !== wanted)
    ctx.report(
      'BUCKET001',
      'error',
      `With the ${provider} provider${defaulted ? ' (the default)' : ''}, spec.sts.provider must be ${wanted}: the API server rejects "${sts}" here`,
      ctx.valueRange('spec', 'sts', 'provider'),
      DOCS,
    );
  if (sts === 'aws')
    for (const field of ['secretRef', 'certSecretRef'])
      if (ctx.has('spec', 'sts', field))
        ctx.report(
          'BUCKET001',
          'error',
          `spec.sts.${field} is for the ldap STS provider; the API server rejects it with the aws one, which takes its credentials from the workload identity`,
          ctx.keyRange('spec', 'sts', field),
          DOCS,
        );
}

/**
 * generic and aws: source-controller hands the endpoint to the MinIO client, which puts `https://`
 * (`http://` with insecure: true) in front of it and refuses anything but a host and port
 * (minio-go getEndpointURL and isValidEndpointURL, v7.2.0 as source-controller v1.9.1 uses it).
 */
function checkMinioEndpoint(ctx: RuleContext, provider: Provider): void {
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
function checkAzureEndpoint(ctx: RuleContext): void {
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
function checkGcpEndpoint(ctx: RuleContext): void {
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
function checkIgnoredFields(ctx: RuleContext, provider: Provider): void {
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

/**
 * A bucket name holds no "/" on any provider; for generic and aws, the MinIO client also checks
 * the name before it asks the server (minio-go s3utils.CheckValidBucketName).
 */
function checkBucketName(ctx: RuleContext, provider: Provider | undefined): void {
  const name = ctx.string('spec', 'bucketName');
  if (name === undefined) return;
  const range = ctx.valueRange('spec', 'bucketName');
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const folder = name.slice(slash + 1);
    ctx.report(
      'BUCKET004',
      'error',
      `spec.bucketName "${name}" holds a path: the bucket is "${name.slice(0, slash)}"${folder ? `; put "${folder}" in spec.prefix to fetch only the objects under it` : ''}`,
      range,
      DOCS,
    );
    return;
  }
  if (provider !== 'generic' && provider !== 'aws') return;
  const problem =
    name.length < 3
      ? 'is shorter than 3 characters'
      : name.length > 63
        ? 'is longer than 63 characters'
        : /^(\d+\.){3}\d+$/.test(name)
          ? 'is an IP address'
          : /\.\.|\.-|-\./.test(name) || !/^[A-Za-z0-9][A-Za-z0-9.\-_:]{1,61}[A-Za-z0-9]$/.test(name)
            ? 'has characters a bucket name cannot have (letters, digits, ".", "-", "_" and ":", starting and ending with a letter or digit)'
            : undefined;
  if (problem)
    ctx.report(
      'BUCKET004',
      'error',
      `spec.bucketName "${name}" ${problem}: source-controller's MinIO client refuses it before asking the server`,
      range,
      DOCS,
    );
}

/**
 * `spec.ignore`, read as source-controller reads it (fluxcd/pkg sourceignore: ReadPatterns and
 * gitignore.ParsePattern, from go-git): a line starting with "#" is a comment, and every other
 * non-blank line is a pattern whose "/"-separated parts are matched with Go's filepath.Match. A
 * pattern that cannot match anything is almost surely not what was meant: the objects it was
 * written to leave out are fetched.
 */
function checkIgnore(ctx: RuleContext): void {
  const ignore = ctx.string('spec', 'ignore');
  if (ignore === undefined) return;
  const whole = ctx.valueRange('spec', 'ignore');
  const lines = ctx.blockLines('spec', 'ignore');
  ignore.split('\n').forEach((line, index) => {
    const problem = ignoreLineProblem(line);
    if (!problem) return;
    ctx.report('BUCKET007', 'warning', `spec.ignore line ${index + 1} "${line}" ${problem}`, lines?.[index] ?? whole, DOCS);
  });
}

function ignoreLineProblem(line: string): string | undefined {
  if (line.startsWith('#') || line.trim() === '') return undefined;
  if (/^\s/.test(line))
    return line.trim().startsWith('#')
      ? 'is not a comment: only a "#" at the very start of a line begins one, so this is a pattern for names that begin with spaces'
      : 'begins with whitespace, which is part of the pattern: it only matches names that begin with it';
  let pattern = line.startsWith('!') ? line.slice(1) : line;
  if (!pattern.endsWith('\\ ')) pattern = pattern.replace(/ +$/, '');
  if (pattern.endsWith('/')) pattern = pattern.slice(0, -1);
  if (pattern === '') return 'matches nothing: it has no name to match';
  const parts = pattern.split('/');
  for (const part of parts) {
    const syntax = globSyntaxProblem(part);
    if (syntax) return `never matches: "${part}" ${syntax}, so Go's filepath.Match refuses it`;
    if (parts.length > 1 && part !== '**' && part.includes('**'))
      return `never matches: in a pattern with a "/", source-controller only takes "**" as a whole part ("deploy/**/*.md"), and "${part}" matches nothing (git would read it as "*")`;
  }
  return undefined;
}

/** Why Go's filepath.Match rejects a pattern (ErrBadPattern), on Linux where "\" escapes. */
function globSyntaxProblem(pattern: string): string | undefined {
  const escaped = (at: number): number | string => {
    if (at >= pattern.length || pattern[at] === '-' || pattern[at] === ']')
      return 'has a "[…]" class that is empty, not closed, or has a range without an end';
    if (pattern[at] === '\\') at++;
    if (at >= pattern.length) return 'ends with an unescaped "\\"';
    const next = at + ((pattern.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
    return next >= pattern.length ? 'has a "[" class that is not closed' : next;
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return 'ends with an unescaped "\\"';
      i += 2;
    } else if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      for (let ranges = 0; ; ranges++) {
        if (pattern[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const low = escaped(i);
        if (typeof low === 'string') return low;
        i = low;
        if (pattern[i] === '-') {
          const high = escaped(i + 1);
          if (typeof high === 'string') return high;
          i = high;
        }
      }
    } else i++;
  }
  return undefined;
}
