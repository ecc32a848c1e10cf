import * as vscode from 'vscode';
import type { YAMLMap } from 'yaml';
import { completeFromRegistry, type CompletionChoice, type KnownRegistry } from '../../gitops/completion/registryCompletion';
import { RegistryFacts } from '../../gitops/completion/registryFacts';
import { previewSemver } from '../../gitops/completion/semverPreview';
import { repositoryText, type OciRepository } from '../../gitops/contract/completionSite';
import { completeValuesKeys, completionSiteAt, semverSites } from '../../gitops/kindQueries';

import type { OciClient } from '../../oci';
import { errorMessage } from '../../text/format';
import { refuseWhileRestricted } from '../restrictedMode';

const KINDS: Record<CompletionChoice['kind'], vscode.CompletionItemKind> = {
  registry: vscode.CompletionItemKind.Module,
  repository: vscode.CompletionItemKind.Folder,
  tag: vscode.CompletionItemKind.Constant,
  version: vscode.CompletionItemKind.EnumMember,
  digest: vscode.CompletionItemKind.Reference,
};

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/**
 * Completion from the registry (registries, repositories, tags, versions, digests), and the semver
 * preview (hover and CodeLens on a constraint). The answers come from gitops/completion; this file
 * only turns them into editor objects. Loaded with validation, so activation stays as it was.
 */
export function registerRegistryAuthoring(
  context: vscode.ExtensionContext,
  deps: {
    client: OciClient;
    knownRegistries: () => Promise<KnownRegistry[]>;
    /** Source documents declared in other workspace files. */
    elsewhere: () => readonly YAMLMap[];
  },
): RegistryFacts {
  // In Restricted Mode the hosts a workspace's files name are not asked (the refusal says why).
  const repositoryOf = (ref: OciRepository) => {
    refuseWhileRestricted(`Asking ${ref.registry} about ${ref.repository}`);
    return deps.client.repository(ref);
  };
  const facts = new RegistryFacts({
    repository: repositoryOf,
    catalog: async (host) => {
      refuseWhileRestricted(`Listing the repositories of ${host}`);
      return (await deps.client.registry(host).repositoryPage({ pageSize: 200 })).items;
    },
  });
  const lensesChanged = new vscode.EventEmitter<void>();
  const selector: vscode.DocumentSelector = [
    { language: 'yaml', scheme: 'file' },
    { language: 'yaml', scheme: 'untitled' },
  ];
  context.subscriptions.push(
    lensesChanged,
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        async provideCompletionItems(document, position) {
          const text = document.getText();
          const offset = document.offsetAt(position);
          const site = completionSiteAt(text, offset, deps.elsewhere());
          if (!site) return valuesKeys(text, offset, document);
          const known = site.kind === 'registry-or-repository' ? await deps.knownRegistries() : [];
          const answer = await completeFromRegistry(site, facts, known);
          const range = new vscode.Range(document.positionAt(answer.start), document.positionAt(answer.end));
          const items = answer.choices.map((choice) => {
            // The detail as the label's description: shown on every row, not only the focused one.
            const item = new vscode.CompletionItem(
              choice.detail ? { label: choice.label, description: choice.detail } : choice.label,
              KINDS[choice.kind],
            );
            item.insertText = choice.insert;
            item.range = range;
            item.sortText = choice.sortText;
            if (choice.documentation) item.documentation = markdown(choice.documentation);
            return item;
          });
          // isIncomplete makes the editor ask again on the next keystroke, when the details have arrived.
          return new vscode.CompletionList(items, answer.incomplete);
        },
      },
      ':',
      ' ',
      '/',
      '"',
    ),
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(document, position) {
        const offset = document.offsetAt(position);
        const site = semverSites(document.getText(), deps.elsewhere()).find((s) => offset >= s.start && offset <= s.end);
        if (!site) return undefined;
        let tags: string[];
        try {
          tags = await facts.tags(site.repo);
        } catch (error) {
          return new vscode.Hover(markdown(`Cannot list the tags of ${repositoryText(site.repo)}: ${errorMessage(error)}`));
        }
        const range = new vscode.Range(document.positionAt(site.start), document.positionAt(site.end));
        return new vscode.Hover(markdown(previewSemver(site, tags).markdown), range);
      },
    }),
    vscode.languages.registerCodeLensProvider(selector, {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses(document) {
        const lenses: vscode.CodeLens[] = [];
        for (const site of semverSites(document.getText(), deps.elsewhere())) {
          const range = new vscode.Range(document.positionAt(site.start), document.positionAt(site.end));
          const cached = facts.peekTags(site.repo);
          if (!cached) {
            // Listed once in the background; the lens appears when the answer does.
            facts.tags(site.repo).then(
              () => lensesChanged.fire(),
              () => lensesChanged.fire(),
            );
            continue;
          }
          if ('error' in cached) continue;
          const preview = previewSemver(site, cached.value);
          lenses.push(new vscode.CodeLens(range, { title: preview.title, tooltip: preview.markdown, command: '' }));
        }
        return lenses;
      },
    }),
  );
  /** Keys of the chart's values.yaml inside HelmRelease spec.values and Argo CD helm.valuesObject. */
  async function valuesKeys(text: string, offset: number, document: vscode.TextDocument): Promise<vscode.CompletionList | undefined> {
    const answer = await completeValuesKeys(text, offset, facts, { repository: repositoryOf }, deps.elsewhere());
    if (!answer || answer.keys.length === 0) return undefined;
    const range = new vscode.Range(document.positionAt(answer.start), document.positionAt(answer.end));
    const items = answer.keys.map((key, i) => {
      const item = new vscode.CompletionItem(key.key, vscode.CompletionItemKind.Property);
      item.insertText = `${key.key}: `;
      item.range = range;
      item.sortText = String(i).padStart(5, '0');
      item.detail = `${key.preview} · ${answer.chart}`;
      if (key.comment) item.documentation = markdown(key.comment.replace(/^#\s?/gm, ''));
      return item;
    });
    return new vscode.CompletionList(items, false);
  }

  return facts;
}
