import type { Rule } from '../../src/gitops/rules/catalogue';

/** docs/rules.md, relative to the repository root. */
export const RULES_DOC_PATH = ['docs', 'rules.md'];

const GROUPS: { title: string; prefixes: string[] }[] = [
  { title: 'Parse and schema', prefixes: ['YAML', 'SCHEMA'] },
  { title: 'Flux OCIRepository (and a FluxInstance OCI sync)', prefixes: ['OCI'] },
  { title: 'Flux Kustomization, HelmRelease, FluxInstance and ArtifactGenerator', prefixes: ['FLUX'] },
  { title: 'Flux HelmRepository', prefixes: ['HREPO'] },
  { title: 'Flux Bucket', prefixes: ['BUCKET'] },
  { title: 'Argo CD Application', prefixes: ['ARGO'] },
  { title: 'Argo CD ApplicationSet', prefixes: ['APPSET'] },
  { title: 'Kubernetes image volumes', prefixes: ['IMGVOL'] },
  { title: 'Live registry checks', prefixes: ['LIVE'] },
];

/** The letters of a code before its number: OCI for OCI004, SCHEMA for SCHEMA. */
export function prefixOf(code: string): string {
  return code.replace(/\d+$/, '');
}

function severityOf(rule: Rule): string {
  const others = (rule.otherwise ?? []).map((other) => `; ${other.severity} ${other.when}`).join('');
  return `${rule.severity}${others}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** docs/rules.md: an index table, then one section per rule, grouped by the kinds they concern. */
export function renderRulesDoc(rules: readonly Rule[]): string {
  const lines = [
    '# Validation rules',
    '',
    '<!-- Generated from src/gitops/rules/catalogue.ts by `npm run docs:rules`: edit the catalogue, not this file. -->',
    '',
    `Every code the validator reports (${rules.length} in all), in the editor's Problems view and in`,
    '`oci-gitops validate`. An **error** is what Flux, Argo CD or the API server would reject or fail on; a',
    '**warning** is almost surely not what you meant (an ignored field, a removed API version); an **info**',
    'is a judgement call the Flux or Argo CD docs make themselves. How validation works: [validation.md](validation.md).',
    '',
  ];
  for (const group of GROUPS) {
    const members = rules.filter((rule) => group.prefixes.includes(prefixOf(rule.code)));
    if (members.length === 0) continue;
    lines.push(`## ${group.title}`, '', '| code | severity | title |', '| --- | --- | --- |');
    for (const rule of members) lines.push(`| [${rule.code}](#${rule.code.toLowerCase()}) | ${rule.severity} | ${cell(rule.title)} |`);
    lines.push('');
    for (const rule of members) {
      lines.push(`### ${rule.code}`, '', `**${rule.title}** (${severityOf(rule)})`, '', rule.checks, '');
      lines.push(`- On: ${rule.kinds.join(', ')}`);
      lines.push(`- Follows: ${rule.source}`);
      if (rule.fix) lines.push(`- Quick fix: ${rule.fix}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

/** Prefixes the groups above place; a rule of any other prefix would be missing from the page. */
export const GROUPED_PREFIXES = GROUPS.flatMap((group) => group.prefixes);
