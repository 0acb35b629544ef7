#!/usr/bin/env node
/**
 * The `latchkey` executable (bin/latchkey.js loads this file): `latchkey --help` lists the
 * commands, `latchkey <command> --help` explains one. See cli/index.ts.
 */
import { runCli } from './cli/index.js';

await runCli(process.argv.slice(2));
