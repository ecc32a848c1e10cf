import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument, type Node } from 'yaml';
import { RuleContext } from '../../src/gitops/contract/ruleContext';

function context(text: string): RuleContext {
  const doc = parseDocument(text);
  return new RuleContext(doc.contents as Node, [0, 0], text);
}

test('each line of a literal block scalar is found where it is written, without its indentation', () => {
  const text = 'spec:\n  ignore: |-  # patterns\n    /*\n\n    !/deploy\r\n      # indented\n  suspend: true\n';
  const lines = context(text).blockLines('spec', 'ignore')!;
  assert.deepEqual(
    lines.map(([start, end]) => text.slice(start, end)),
    ['/*', '', '!/deploy', '  # indented'],
  );
});

test('a folded, quoted or plain string has no line ranges: its lines are not the value’s', () => {
  for (const value of ['>\n    a\n    b', '"a\\nb"', 'a'])
    assert.equal(context(`spec:\n  ignore: ${value}\n`).blockLines('spec', 'ignore'), undefined, value);
});
