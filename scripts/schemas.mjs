#!/usr/bin/env node
// Writes schemas/environment.schema.json from the zod schema of environment
// files (src/env/json-schema.ts), through the build in dist/: `npm run
// schemas` builds first. Only that file: others in schemas/ are written by hand.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT_SCHEMA_FILE, environmentJsonSchemaText } from '../dist/src/env/json-schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = join(root, ENVIRONMENT_SCHEMA_FILE);
await mkdir(dirname(file), { recursive: true });
await writeFile(file, environmentJsonSchemaText());
console.log(`wrote ${ENVIRONMENT_SCHEMA_FILE}`);
