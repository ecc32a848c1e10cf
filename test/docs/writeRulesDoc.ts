// `npm run docs:rules`: writes docs/rules.md from the rule catalogue.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/gitops/rules/catalogue';
import { renderRulesDoc, RULES_DOC_PATH } from './rulesDoc';

const path = join(__dirname, '..', '..', '..', ...RULES_DOC_PATH);
writeFileSync(path, renderRulesDoc(RULES));
console.log(`Wrote ${path} (${RULES.length} rules)`);
