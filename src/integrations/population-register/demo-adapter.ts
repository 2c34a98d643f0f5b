/**
 * The demo population register: fictional residents read from demo-data.yaml. It is the reference
 * adapter (STYLE 4) and refuses to load any personal identity number outside Skatteverket's test
 * range, so demo data can never name a real person.
 */
import path from 'node:path';
import { readDemoDataFile } from '../demo-data-file.ts';
import { fileURLToPath } from 'node:url';
import type { PopulationRegister, RegisteredChild, RegisteredPerson, RelatedPerson } from './base.ts';
import { birthDateOf, isTestPersonalNumber } from './personal-number.ts';

export const DEMO_DATA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo-data.yaml');

/** A demo resident and the demo municipality (tenant id) they live in. */
export interface DemoPerson extends RegisteredPerson {
  tenant: string;
}

const text = { type: 'string', minLength: 1, maxLength: 200 } as const;
const pin = { type: 'string', pattern: '^\\d{12}$' } as const;
const schema = {
  type: 'object',
  required: ['people'],
  additionalProperties: false,
  properties: {
    people: {
      type: 'array',
      items: {
        type: 'object',
        required: ['personalNumber', 'givenName', 'familyName', 'tenant', 'address', 'children'],
        additionalProperties: false,
        properties: {
          personalNumber: pin,
          givenName: text,
          familyName: text,
          tenant: text,
          // Skyddad identitet: the person's name, address and number are not shown to others.
          protected: { type: 'boolean' },
          address: {
            type: 'object',
            required: ['street', 'postalCode', 'city', 'municipalityCode'],
            additionalProperties: false,
            properties: {
              street: text,
              postalCode: { type: 'string', pattern: '^\\d{3} ?\\d{2}$' },
              city: text,
              municipalityCode: { type: 'string', pattern: '^\\d{4}$' },
              // Where the address is (WGS 84), as the address register gives it: distances to units (ADR 0043).
              position: { type: 'object', required: ['lat', 'lon'], additionalProperties: false, properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } } },
            },
          },
          children: {
            type: 'array',
            items: {
              type: 'object',
              required: ['personalNumber', 'givenName', 'familyName'],
              additionalProperties: false,
              properties: { personalNumber: pin, givenName: text, familyName: text },
            },
          },
        },
      },
    },
  },
} as const;

interface RawPerson {
  personalNumber: string;
  givenName: string;
  familyName: string;
  tenant: string;
  protected?: boolean;
  address: RegisteredPerson['address'];
  children: { personalNumber: string; givenName: string; familyName: string }[];
}

export class DemoDataError extends Error {}

const cache = new Map<string, DemoPerson[]>();

/** Reads and checks a demo register file (once per file); throws DemoDataError naming the problem. */
export function loadDemoRegisterData(file: string = DEMO_DATA_FILE): readonly DemoPerson[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const raw = readDemoDataFile(file, schema, 'demo register', (m) => new DemoDataError(m));
  const seen = new Set<string>();
  // A child may be listed under each of its custodians (same number, same name); an adult once.
  const childNames = new Map<string, string>();
  const rawPeople = (raw as { people: RawPerson[] }).people;
  const adults = new Set(rawPeople.map((p) => p.personalNumber));
  const people = rawPeople.map((p, i): DemoPerson => {
    const check = (value: string, where: string, child?: string) => {
      // The number itself is not echoed: even test numbers stay out of error output by habit.
      if (!isTestPersonalNumber(value)) throw new DemoDataError(`${file}: ${where} is not a valid test personal identity number (birth number 980–999, valid check digit)`);
      if (child !== undefined) {
        const named = childNames.get(value);
        if (adults.has(value) || (named !== undefined && named !== child)) throw new DemoDataError(`${file}: ${where} appears twice as different people`);
        childNames.set(value, child);
        return;
      }
      if (seen.has(value)) throw new DemoDataError(`${file}: ${where} appears twice`);
      seen.add(value);
    };
    check(p.personalNumber, `/people/${i}/personalNumber`);
    const children: RegisteredChild[] = p.children.map((c, j) => {
      check(c.personalNumber, `/people/${i}/children/${j}/personalNumber`, `${c.givenName} ${c.familyName}`);
      return { ...c, name: `${c.givenName} ${c.familyName}`, birthDate: birthDateOf(c.personalNumber) };
    });
    return { ...p, name: `${p.givenName} ${p.familyName}`, address: { ...p.address }, children };
  });
  cache.set(file, people);
  return people;
}

function copyOf(p: DemoPerson): RegisteredPerson {
  return {
    personalNumber: p.personalNumber,
    givenName: p.givenName,
    familyName: p.familyName,
    name: p.name,
    address: { ...p.address },
    children: p.children.map((c) => ({ ...c })),
    ...(p.protected ? { protected: true } : {}),
  };
}

/**
 * Answers from the demo data. Like the real register it answers for anyone, whichever
 * municipality asks: a resident of one demo municipality may apply in the other (moving there).
 */
export class DemoPopulationRegister implements PopulationRegister {
  readonly name = 'demo';
  private readonly byNumber: Map<string, DemoPerson>;

  constructor(readonly people: readonly DemoPerson[] = loadDemoRegisterData()) {
    this.byNumber = new Map(people.map((p) => [p.personalNumber, p]));
  }

  async lookup(_tenantId: string, personalNumber: string): Promise<RegisteredPerson | undefined> {
    const found = this.byNumber.get(personalNumber);
    return found ? copyOf(found) : undefined;
  }

  async custodiansOf(_tenantId: string, childPersonalNumber: string): Promise<RelatedPerson[]> {
    return this.people.filter((p) => p.children.some((c) => c.personalNumber === childPersonalNumber)).map((p) => ({ ...related(p), ...(p.protected ? { protected: true } : {}) }));
  }

  async householdOf(_tenantId: string, personalNumber: string): Promise<RelatedPerson[]> {
    const person = this.byNumber.get(personalNumber);
    if (!person) return [];
    const sameAddress = (p: DemoPerson) => p.address.street === person.address.street && p.address.postalCode === person.address.postalCode;
    const members = new Map<string, RelatedPerson>();
    for (const p of this.people.filter(sameAddress)) {
      members.set(p.personalNumber, related(p));
      for (const c of p.children) members.set(c.personalNumber, related(c));
    }
    members.delete(personalNumber);
    return [...members.values()];
  }
}

function related(p: { personalNumber: string; givenName: string; familyName: string; name: string }): RelatedPerson {
  return { personalNumber: p.personalNumber, givenName: p.givenName, familyName: p.familyName, name: p.name, birthDate: birthDateOf(p.personalNumber) };
}
