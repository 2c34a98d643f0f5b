/**
 * The demo representation register, read from demo-data.yaml: which demo resident is god man,
 * förvaltare or holder of a power of attorney for which. Like every demo register it refuses a
 * personal identity number outside Skatteverket's test range, so demo data can never name a real person.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDemoDataFile } from '../demo-data-file.ts';
import { isTestPersonalNumber } from '../population-register/index.ts';
import { REPRESENTATION_KINDS, type Representation, type RepresentationRegister } from './base.ts';

export const DEMO_REPRESENTATIONS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo-data.yaml');

export class DemoRepresentationDataError extends Error {}

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const number = { type: 'string', pattern: '^\\d{12}$' } as const;
const schema = {
  type: 'object',
  required: ['representations'],
  additionalProperties: false,
  properties: {
    representations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'tenant', 'representative', 'represented', 'from'],
        additionalProperties: false,
        properties: {
          kind: { enum: REPRESENTATION_KINDS },
          tenant: { type: 'string', minLength: 1 },
          representative: number,
          represented: { type: 'object', required: ['personalNumber', 'name'], additionalProperties: false, properties: { personalNumber: number, name: { type: 'string', minLength: 1, maxLength: 200 } } },
          from: date,
          until: date,
          scope: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' } },
        },
      },
    },
  },
} as const;

type DemoRepresentation = Representation & { tenant: string };

const cache = new Map<string, DemoRepresentation[]>();

/** Reads and checks the demo file (once per file); throws DemoRepresentationDataError naming the problem. */
export function loadDemoRepresentations(file: string = DEMO_REPRESENTATIONS_FILE): DemoRepresentation[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const raw = readDemoDataFile(file, schema, 'demo representation register', (m) => new DemoRepresentationDataError(m)) as { representations: DemoRepresentation[] };
  raw.representations.forEach((r, i) => {
    for (const [where, value] of [['representative', r.representative], ['represented/personalNumber', r.represented.personalNumber]] as const) {
      if (!isTestPersonalNumber(value)) throw new DemoRepresentationDataError(`${file}: /representations/${i}/${where} is not a valid test personal identity number (birth number 980–999, valid check digit)`);
    }
  });
  cache.set(file, raw.representations);
  return raw.representations;
}

export class DemoRepresentationRegister implements RepresentationRegister {
  readonly name = 'demo';
  constructor(private readonly data: DemoRepresentation[] = loadDemoRepresentations()) {}

  async representedBy(tenantId: string, personalNumber: string): Promise<Representation[]> {
    return this.data.filter((r) => r.tenant === tenantId && r.representative === personalNumber).map(({ tenant: _tenant, ...r }) => structuredClone(r));
  }
}
