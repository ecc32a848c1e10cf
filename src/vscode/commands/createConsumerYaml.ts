import * as vscode from 'vscode';
import { argoApplicationYaml, fluxOciRepositoryYaml } from '../../gitops/scaffold';
import { isLoopbackHost, type Reference } from '../../oci';
import type { TagNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { failure } from '../commandWrapper/commandFailure';

/** Opens an untitled YAML editor with the Flux or Argo CD object that consumes the artifact. */
export async function openConsumerYaml(kind: 'flux' | 'argo', ref: Reference, digest: string | undefined): Promise<void> {
  const options = { pin: digest ? ('digest' as const) : ('tag' as const), digest, tag: ref.tag, insecure: isLoopbackHost(ref.registry) };
  const content = kind === 'flux' ? fluxOciRepositoryYaml(ref, options) : argoApplicationYaml(ref, options);
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  await vscode.window.showTextDocument(document);
}

/** From a tag in the Registries view: resolve its digest so the YAML pins exactly what is there now. */
export async function createConsumerYamlFromTag(ctx: CommandContext, kind: 'flux' | 'argo', node: TagNode | undefined): Promise<void> {
  if (!node) return;
  try {
    const host = node.repository.registry.entry.host;
    const descriptor = await ctx.client.repository(node.repository.ref).resolve(node.tag);
    await openConsumerYaml(kind, { registry: host, repository: node.repository.name, tag: node.tag }, descriptor.digest);
  } catch (error) {
    throw failure(`Could not resolve ${node.reference}`, error);
  }
}
