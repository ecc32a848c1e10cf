// The artifact panel. Registry strings are untrusted: they only ever reach the page as text nodes
// or attribute values set through the DOM, never as HTML.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import { formatSize as size } from '../src/text/format';
import type { ArtifactView, ConsumersView, FilesView, PanelAction, PanelMessage, PanelRequest } from './messages';

declare function acquireVsCodeApi(): { postMessage(message: PanelRequest): void };
const vscode = acquireVsCodeApi();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K];
function el(tag: string, text?: string, className?: string): HTMLElement;
function el(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** `data` gives a row's data-* attributes: set through the DOM, so registry strings stay values. */
function table(headers: string[], rows: (string | HTMLElement)[][], data?: (index: number) => Record<string, string>): HTMLElement {
  const t = el('vscode-table');
  t.setAttribute('zebra', '');
  t.setAttribute('bordered-columns', '');
  const head = el('vscode-table-header');
  head.setAttribute('slot', 'header');
  for (const h of headers) head.append(el('vscode-table-header-cell', h));
  const body = el('vscode-table-body');
  body.setAttribute('slot', 'body');
  for (const [index, row] of rows.entries()) {
    const r = el('vscode-table-row');
    for (const [key, value] of Object.entries(data?.(index) ?? {})) r.dataset[key] = value;
    for (const cell of row) {
      const c = el('vscode-table-cell');
      c.append(cell);
      r.append(c);
    }
    body.append(r);
  }
  t.append(head, body);
  return t;
}

function section(title: string, content: HTMLElement, open = true): HTMLElement {
  const c = el('vscode-collapsible');
  c.setAttribute('title', title);
  if (open) c.setAttribute('open', '');
  c.append(content);
  return c;
}

/** Only http(s) links are made clickable, and they open through the host, never in the webview. */
function annotationValue(key: string, value: string): HTMLElement {
  if ((key === 'org.opencontainers.image.source' || key === 'org.opencontainers.image.url') && /^https?:\/\//i.test(value)) {
    const a = el('a', value);
    a.href = '#';
    a.addEventListener('click', (event) => {
      event.preventDefault();
      vscode.postMessage({ type: 'openExternal', url: value });
    });
    return a;
  }
  return el('span', value, 'mono');
}

function render(view: ArtifactView): void {
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const header = el('header');
  header.append(el('h1', view.reference));
  const badge = el('vscode-badge', view.kind);
  badge.dataset.kind = view.kindId;
  header.append(badge);
  if (view.headline) header.append(el('span', view.headline));
  root.append(header);
  const actions = el('div', undefined, 'actions');
  const buttons: [PanelAction, string][] = [
    ['copyPinned', 'Copy Pinned Reference'],
    ['copyDigest', 'Copy Digest'],
    ['openManifest', 'Open Manifest'],
    ['compare', 'Compare With…'],
    ['createFlux', 'Create Flux OCIRepository'],
    ['createArgo', 'Create Argo CD Application'],
  ];
  for (const [action, label] of buttons) {
    const button = el('vscode-button', label);
    if (action !== 'copyPinned') button.setAttribute('secondary', '');
    button.addEventListener('click', () => vscode.postMessage({ type: 'action', action }));
    actions.append(button);
  }
  root.append(actions);

  const facts: [string, string][] = [
    ['Digest', view.digest],
    ['Media type', view.mediaType],
    ['Artifact type', view.artifactType ?? '—'],
    ['Manifest size', size(view.size)],
  ];
  if (view.config) facts.push(['Config', `${view.config.mediaType} · ${size(view.config.size)}`]);
  root.append(
    section(
      'Manifest',
      table(
        ['Field', 'Value'],
        facts.map(([k, v]) => [k, el('span', v, 'mono')]),
      ),
    ),
  );
  if (view.facts.length)
    root.append(
      section(
        view.kind,
        table(
          ['Fact', 'Value'],
          view.facts.map(([k, v]) => [k, el('span', v, 'mono')]),
        ),
      ),
    );
  root.append(
    section(
      `Annotations (${view.annotations.length})`,
      view.annotations.length
        ? table(
            ['Key', 'Value'],
            view.annotations.map(([k, v]) => [el('span', k, 'mono'), annotationValue(k, v)]),
          )
        : el('p', 'No annotations.'),
    ),
  );
  if (view.manifests.length) {
    root.append(
      section(
        `Manifests (${view.manifests.length})`,
        table(
          ['Platform', 'Media type', 'Size', 'Digest'],
          view.manifests.map((m) => [m.platform ?? '—', m.mediaType, size(m.size), el('span', m.digest, 'mono')]),
        ),
      ),
    );
  } else {
    root.append(
      section(
        `Layers (${view.layers.length})`,
        table(
          ['Title', 'Media type', 'Size', 'Digest'],
          view.layers.map((l) => [l.title ?? '—', l.mediaType, size(l.size), el('span', l.digest, 'mono')]),
        ),
      ),
    );
  }
  const files = el('div');
  files.id = 'files';
  files.append(el('p', 'Unpacking files…'));
  root.append(section('Files', files));
  const consumers = el('div');
  consumers.id = 'consumers';
  consumers.append(el('p', 'Looking for the workspace objects that pull this artifact…'));
  root.append(section('Consumers', consumers));
  const referrers = el('div');
  if (view.referrers.length)
    referrers.append(
      table(
        ['Kind', 'Found by', 'Artifact type', 'Size', 'Digest'],
        view.referrers.map((r) => [
          r.label,
          r.tag ? `${r.how} ${r.tag}` : r.how,
          r.artifactType,
          size(r.size),
          el('span', r.digest, 'mono'),
        ]),
        (i) => ({ referrer: view.referrers[i].digest, kind: view.referrers[i].kindId, foundBy: view.referrers[i].foundBy }),
      ),
    );
  if (view.referrersError) referrers.append(el('p', `Could not list referrers: ${view.referrersError}`, 'error'));
  else if (!view.referrers.length) referrers.append(el('p', 'No signatures, SBOMs or attestations refer to this artifact.'));
  root.append(section(`Referrers (${view.referrers.length})`, referrers));
}

function renderFiles(view: FilesView): void {
  const target = document.getElementById('files');
  if (!target) return;
  if (view.error) {
    target.replaceChildren(el('p', view.error, 'error'));
    return;
  }
  const rows = view.files.map((f) => {
    const link = el('a', f.path, 'mono');
    link.href = '#';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      vscode.postMessage({ type: 'openFile', path: f.path });
    });
    return [link, size(f.size)];
  });
  const parts: HTMLElement[] = [view.files.length ? table(['Path', 'Size'], rows) : el('p', 'No files.')];
  for (const skipped of view.skipped) parts.push(el('p', `${skipped.path}: ${skipped.reason}`, 'error'));
  target.replaceChildren(...parts);
}

function renderConsumers(view: ConsumersView): void {
  const target = document.getElementById('consumers');
  if (!target) return;
  if (view.note) {
    target.replaceChildren(el('p', view.note));
    return;
  }
  if (!view.consumers.length) {
    target.replaceChildren(el('p', 'No workspace object pulls from this repository.'));
    return;
  }
  const rows = view.consumers.map((c, index) => {
    const link = el('a', c.where, 'mono');
    link.href = '#';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      vscode.postMessage({ type: 'openConsumer', index });
    });
    const checks = el('div');
    for (const check of c.checks) checks.append(el('div', check));
    return [c.name, link, c.pick, el('span', c.verdict, c.refuses ? 'error' : undefined), checks];
  });
  target.replaceChildren(table(['Consumer', 'Declared at', 'Pick', 'Verdict', 'Checks'], rows));
}

window.addEventListener('message', (event: MessageEvent<PanelMessage>) => {
  const message = event.data;
  if (message?.type === 'artifact') render(message);
  else if (message?.type === 'files') renderFiles(message);
  else if (message?.type === 'consumers') renderConsumers(message);
  else if (message?.type === 'error') document.getElementById('root')!.replaceChildren(el('p', message.message, 'error'));
});
vscode.postMessage({ type: 'ready' });
