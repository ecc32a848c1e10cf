/**
 * The Entra ID scope whose tokens a registry's /oauth2/exchange accepts. Flux asks for the
 * `azcontainerregistry` audience of the registry's cloud (fluxcd/pkg auth/azure/provider.go,
 * GetAccessTokenOptionsForArtifactRepository); the public cloud's is containerregistry.azure.net,
 * the sovereign clouds' are their management audiences (Azure/azure-sdk-for-go
 * sdk/containers/azcontainerregistry/cloud_config.go).
 */
export function acrScopeFor(registry: string): string {
  const host = registry.replace(/:\d+$/, '').toLowerCase();
  if (host.endsWith('.azurecr.cn')) return 'https://management.core.chinacloudapi.cn/.default';
  if (host.endsWith('.azurecr.us')) return 'https://management.core.usgovcloudapi.net/.default';
  return ACR_PUBLIC_SCOPE;
}

export const ACR_PUBLIC_SCOPE = 'https://containerregistry.azure.net/.default';
