#!/usr/bin/env node
// The `fanout` command. Sources are TypeScript, run through tsx's loader, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
