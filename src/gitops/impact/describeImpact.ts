import { formatReference } from '../../oci';
import { wouldRefuse, type Check, type ConsumerImpact, type DeclaredAt, type ImpactReport, type Pick, type Selector } from './contract';

// The impact report as plain text, for confirmations that can only show text (VS Code's modal
// dialogs) and for quick picks: one consumer per paragraph, refusals first.

export function consumerName(impact: ConsumerImpact): string {
  const { consumer } = impact;
  return `${consumer.kind} ${consumer.namespace ? `${consumer.namespace}/` : ''}${consumer.name}`;
}

export function pickText(pick: Pick): string {
  switch (pick.outcome) {
    case 'picks':
      return pick.before && pick.before !== pick.after ? `picks ${pick.after} (now ${pick.before})` : `picks ${pick.after}`;
    case 'not-picked':
      return `not picked: ${pick.reason}${pick.current ? ` (stays on ${pick.current})` : ''}`;
    case 'pinned':
      return `pinned to ${pick.pinned}: unaffected`;
  }
}

export function verdictText(impact: ConsumerImpact): string {
  if (wouldRefuse(impact)) return 'would REFUSE it';
  const verdict = { accepts: 'accepts', refuses: 'refuses', unknown: 'cannot be judged here' }[impact.acceptance];
  return impact.pick.outcome === 'picks' ? verdict : `${verdict} (if it picked it)`;
}

export function checkText(check: Check, relativePath: (file: string) => string = (f) => f): string {
  const mark = { pass: '✓', fail: '✗', warn: '!', 'out-of-reach': '?' }[check.outcome];
  return `${mark} ${check.check}: ${check.detail}${check.declaredAt ? ` (${where(check.declaredAt, relativePath)})` : ''}`;
}

export function where(at: DeclaredAt, relativePath: (file: string) => string = (f) => f): string {
  return `${relativePath(at.file)}:${at.line}`;
}

/** Refusals first, then the rest in workspace order. */
export function orderedConsumers(report: ImpactReport): ConsumerImpact[] {
  return [...report.consumers.filter(wouldRefuse), ...report.consumers.filter((c) => !wouldRefuse(c))];
}

/** Every consumer as a paragraph: name and place, pick and verdict, then the checks that did not simply pass. */
export function impactDetail(report: ImpactReport, relativePath: (file: string) => string = (f) => f): string {
  if (report.consumers.length === 0) return `No workspace file pulls ${formatReference(report.candidate)}.`;
  return orderedConsumers(report)
    .map((impact) => {
      const head = `${consumerName(impact)} (${where(impact.consumer.declaredAt, relativePath)}): ${pickText(impact.pick)}; ${verdictText(impact)}`;
      const shown = impact.checks.filter((c) => c.outcome !== 'pass');
      return [head, ...shown.map((c) => `  ${checkText(c, relativePath)}`)].join('\n');
    })
    .join('\n\n');
}

/** The headline of a confirmation when some consumer would pick the candidate and refuse it, or undefined. */
export function refusalHeadline(report: ImpactReport, destination: string): string | undefined {
  const refusing = report.consumers.filter(wouldRefuse);
  if (refusing.length === 0) return undefined;
  const names = refusing.map(consumerName);
  return `${refusing.length === 1 ? names[0] : `${refusing.length} consumers (${names.join(', ')})`} would pick up ${destination} and refuse it.`;
}

/**
 * Who will pick the candidate up, for a completion message: "picked up by 2 consumers:
 * OCIRepository flux-system/app (follows 1.x), Application argocd/app", or undefined when none picks it.
 */
export function pickedUpText(report: ImpactReport): string | undefined {
  const picking = orderedConsumers(report).filter((impact) => impact.pick.outcome === 'picks');
  if (picking.length === 0) return undefined;
  const names = picking.map((impact) => {
    const notes = [
      followsText(impact.consumer.selector),
      wouldRefuse(impact) ? 'would refuse it' : impact.acceptance === 'unknown' ? 'cannot be judged here' : undefined,
    ].filter(Boolean);
    return notes.length ? `${consumerName(impact)} (${notes.join(', ')})` : consumerName(impact);
  });
  return `picked up by ${picking.length === 1 ? '1 consumer' : `${picking.length} consumers`}: ${names.join(', ')}`;
}

/** What a consumer that moves with new tags follows; nothing for one that names the tag itself. */
function followsText(selector: Selector): string | undefined {
  if (selector.type === 'semver') return `follows ${selector.range}${selector.filter ? ` matching ${selector.filter}` : ''}`;
  if (selector.type === 'latest') return 'follows latest';
  return undefined;
}
