/**
 * Reads a demo adapter's YAML data file and checks it against its JSON Schema: the one reading
 * every demo register shares. A problem throws the adapter's own error, naming the file and the
 * first failing path (never a value: even test numbers stay out of error output by habit).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type AnySchema } from 'ajv';
import YAML from 'yaml';

export function readDemoDataFile(file: string, schema: AnySchema, what: string, fail: (message: string) => Error): unknown {
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw fail(`${file}: cannot read the ${what}: ${(err as Error).message}`);
  }
  const validate = new Ajv({ allErrors: false }).compile(schema);
  if (!validate(raw)) {
    const e = validate.errors![0]!;
    throw fail(`${file}: ${e.instancePath || '/'} ${e.message}`);
  }
  return raw;
}
