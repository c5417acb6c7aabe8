import * as z from 'zod';
import { environmentFileSchema, faultSchema } from './schema.js';

/**
 * The JSON Schema of environment files, for editors (the YAML language
 * server) and for anyone checking a file without gameday. It is generated
 * from the zod schema, never edited: `npm run schemas` writes it to
 * ENVIRONMENT_SCHEMA_FILE and a test fails when the committed file differs.
 *
 * It describes the file as written (zod's input side: keys with a default
 * are optional). It is looser than the loader in two ways: refinements with
 * no JSON Schema equivalent (a cron expression's fields, a URL without a
 * path) are left out unless schema.ts restates them with `.meta()`, and the
 * cross-checks of checks.ts (aliases, regions, accounts, template files) are
 * not in it at all.
 */

export const ENVIRONMENT_SCHEMA_FILE = 'schemas/environment.schema.json';

// A URN, not a URL: nothing is published at an address, and a URL would invite fetching it.
const ENVIRONMENT_SCHEMA_ID = 'urn:gameday:schema:environment';

export function environmentJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(environmentFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    // Anything zod cannot express must be dealt with here, not widened to "anything goes" unnoticed.
    unrepresentable: 'throw',
    override: ({ zodSchema, jsonSchema }) => {
      // On the input side zod emits a preprocess as its target schema, the
      // mapping, which would refuse the shorthand `name: ../templates/x.json`
      // that the shipped files use. The preprocess turns a string into
      // `{ template: string }`, and template needs one character at least.
      if (zodSchema === faultSchema) {
        const { description, ...mapping } = jsonSchema;
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        Object.assign(jsonSchema, {
          description,
          anyOf: [{ type: 'string', minLength: 1, description: 'Short for { template: <this path> }.' }, mapping],
        });
      }
    },
  });
  const { $schema, description, ...schema } = generated;
  return { $schema, $id: ENVIRONMENT_SCHEMA_ID, title: 'gameday environment file', description, ...schema };
}

/** The file's text: 2-space indent, keys in the zod schema's order, a final newline. */
export function environmentJsonSchemaText(): string {
  return `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
}
