#!/usr/bin/env node
import { main } from './program.js';

// The only process.exit: lingering handles (a half-closed socket, a stuck child) must not keep cron waiting.
process.exit(await main(process.argv.slice(2)));
