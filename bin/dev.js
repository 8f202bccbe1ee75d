#!/usr/bin/env node
// Runs the CLI from the compiled output after a fresh build: `node bin/dev.js <command>`.
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';

execSync('npm run -s build', { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
await execute({ dir: import.meta.url });
