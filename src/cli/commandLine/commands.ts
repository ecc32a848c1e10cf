import type { Command, CommandLine, Run } from './command';
import type { FlagItem } from './flag';
import { copy } from './copy';
import { diff } from './diff';
import { impact } from './impact';
import { inspect } from './inspect';
import { keygen } from './keygen';
import { mcp } from './mcp';
import { pull } from './pull';
import { push } from './push';
import { repos } from './repos';
import { sign } from './sign';
import { tags } from './tags';
import { validate } from './validate';
import { verify } from './verify';
import { where } from './where';

/**
 * Every command, in the order the usage lists them, each bound to its implementation. The binding
 * is here rather than in the declaration because the implementation imports its declaration's flag
 * types: a declaration importing its implementation back would be an import cycle.
 */
export const COMMANDS = [
  implemented(repos, async () => (await import('../commands/repos.js')).reposCommand),
  implemented(tags, async () => (await import('../commands/tags.js')).tagsCommand),
  implemented(inspect, async () => (await import('../commands/inspect.js')).inspectCommand),
  implemented(where, async () => (await import('../commands/where.js')).whereCommand),
  implemented(push, async () => (await import('../commands/push.js')).pushCommand),
  implemented(pull, async () => (await import('../commands/pull.js')).pullCommand),
  implemented(impact, async () => (await import('../commands/impact.js')).impactCommand),
  implemented(diff, async () => (await import('../commands/diff.js')).diffCommand),
  implemented(copy, async () => (await import('../commands/copy.js')).copyCommand),
  implemented(keygen, async () => (await import('../commands/keygen.js')).keygenCommand),
  implemented(sign, async () => (await import('../commands/sign.js')).signCommand),
  implemented(verify, async () => (await import('../commands/verify.js')).verifyCommand),
  implemented(validate, async () => (await import('../commands/validate.js')).validateCommand),
  implemented(mcp, async () => (await import('../commands/mcp.js')).mcpCommand),
] as const;

function implemented<L extends readonly FlagItem[]>(line: CommandLine<L>, load: () => Promise<Run<L>>): Command<L> {
  return { ...line, load };
}
