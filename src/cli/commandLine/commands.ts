import { copy } from './copy';
import { diff } from './diff';
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

/** Every command, in the order the usage lists them. A new command is one module here and its implementation. */
export const COMMANDS = [repos, tags, inspect, push, pull, diff, copy, keygen, sign, verify, validate, mcp] as const;
