import type { RuleContext } from '../../contract/ruleContext';
import { checkBucketName, checkIgnore } from './objects';
import { checkAzureEndpoint, checkGcpEndpoint, checkIgnoredFields, checkMinioEndpoint, type Provider } from './providers';
import { DOCS } from './schema';

export function checkBucket(ctx: RuleContext): void {
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
