/**
 * The demo business, property and vehicle registers, read from demo-data.yaml. Like the demo
 * population register they refuse any personal identity number outside Skatteverket's test range
 * and any organisation number with a wrong check digit, so demo data can never name a real person.
 */
import path from 'node:path';
import { readDemoDataFile } from '../demo-data-file.ts';
import { fileURLToPath } from 'node:url';
import { isTestPersonalNumber } from '../population-register/index.ts';
import type { BusinessRegister, Organisation, Owner, Property, PropertyRegister, Signatory, Vehicle, VehicleRegister } from './base.ts';
import { parseOrganisationNumber } from './organisation-number.ts';
import { designationKey, parseDesignation } from './property-designation.ts';

export const DEMO_REGISTERS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo-data.yaml');

export interface DemoRegisterData {
  organisations: (Organisation & { signatories: Signatory[] })[];
  /** Each property with the demo municipality (tenant id) it lies in. */
  properties: (Property & { tenant: string })[];
  vehicles: Vehicle[];
}

const text = { type: 'string', minLength: 1, maxLength: 200 } as const;
const address = {
  type: 'object',
  required: ['street', 'postalCode', 'city'],
  additionalProperties: false,
  properties: { street: text, postalCode: { type: 'string', pattern: '^\\d{3} ?\\d{2}$' }, city: text },
} as const;
const owner = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { personalNumber: { type: 'string', pattern: '^\\d{12}$' }, organisationNumber: { type: 'string', pattern: '^\\d{10}$' }, name: text, share: text },
  oneOf: [{ required: ['personalNumber'] }, { required: ['organisationNumber'] }],
} as const;
const schema = {
  type: 'object',
  required: ['organisations', 'properties', 'vehicles'],
  additionalProperties: false,
  properties: {
    organisations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['organisationNumber', 'name', 'form', 'kind', 'address', 'signatories'],
        additionalProperties: false,
        properties: {
          organisationNumber: { type: 'string', pattern: '^\\d{10}$' },
          name: text,
          form: text,
          kind: { enum: ['company', 'association'] },
          address,
          signatories: {
            type: 'array',
            items: {
              type: 'object',
              required: ['personalNumber', 'name', 'role', 'alone'],
              additionalProperties: false,
              properties: { personalNumber: { type: 'string', pattern: '^\\d{12}$' }, name: text, role: text, alone: { type: 'boolean' } },
            },
          },
        },
      },
    },
    properties: {
      type: 'array',
      items: {
        type: 'object',
        required: ['designation', 'tenant', 'address', 'owners'],
        additionalProperties: false,
        properties: { designation: text, tenant: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, address, owners: { type: 'array', minItems: 1, items: { ...owner, required: ['name', 'share'] } } },
      },
    },
    vehicles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['registrationNumber', 'make', 'model', 'year', 'owner'],
        additionalProperties: false,
        properties: { registrationNumber: { type: 'string', pattern: '^[A-Z]{3}\\d{2}[A-Z0-9]$' }, make: text, model: text, year: { type: 'integer' }, owner },
      },
    },
  },
} as const;

export class DemoRegisterDataError extends Error {}

const cache = new Map<string, DemoRegisterData>();

/** Reads and checks the demo registers file (once per file); throws DemoRegisterDataError naming the problem. */
export function loadDemoRegisters(file: string = DEMO_REGISTERS_FILE): DemoRegisterData {
  const cached = cache.get(file);
  if (cached) return cached;
  const raw = readDemoDataFile(file, schema, 'demo registers', (m) => new DemoRegisterDataError(m));
  const data = raw as DemoRegisterData;
  // The numbers themselves are not echoed: even test numbers stay out of error output by habit.
  const checkPerson = (value: string | undefined, where: string) => {
    if (value !== undefined && !isTestPersonalNumber(value)) throw new DemoRegisterDataError(`${file}: ${where} is not a valid test personal identity number (birth number 980–999, valid check digit)`);
  };
  const checkOrganisation = (value: string | undefined, where: string) => {
    if (value !== undefined && parseOrganisationNumber(value) !== value) throw new DemoRegisterDataError(`${file}: ${where} is not a valid organisation number`);
  };
  data.organisations.forEach((o, i) => {
    checkOrganisation(o.organisationNumber, `/organisations/${i}/organisationNumber`);
    o.signatories.forEach((s, j) => checkPerson(s.personalNumber, `/organisations/${i}/signatories/${j}/personalNumber`));
  });
  data.properties.forEach((p, i) => {
    // A designation the form could not read back would be a property nobody can name.
    if (parseDesignation(p.designation) !== p.designation) throw new DemoRegisterDataError(`${file}: /properties/${i}/designation is not written as the register writes designations ("Norrby Eken 1:23")`);
    p.owners.forEach((o, j) => {
      checkPerson(o.personalNumber, `/properties/${i}/owners/${j}/personalNumber`);
      checkOrganisation(o.organisationNumber, `/properties/${i}/owners/${j}/organisationNumber`);
    });
  });
  data.vehicles.forEach((v, i) => {
    checkPerson(v.owner.personalNumber, `/vehicles/${i}/owner/personalNumber`);
    checkOrganisation(v.owner.organisationNumber, `/vehicles/${i}/owner/organisationNumber`);
  });
  cache.set(file, data);
  return data;
}

const copy = <T>(value: T): T => structuredClone(value);
const owns = (o: Owner, number: string) => o.personalNumber === number || o.organisationNumber === number;

function organisationOf(o: DemoRegisterData['organisations'][number]): Organisation {
  return copy({ organisationNumber: o.organisationNumber, name: o.name, form: o.form, kind: o.kind, address: o.address });
}

/** Test companies and registered associations, and who may sign for them. */
export class DemoBusinessRegister implements BusinessRegister {
  readonly name = 'demo';
  constructor(private readonly data: DemoRegisterData = loadDemoRegisters()) {}

  async organisation(_tenantId: string, organisationNumber: string): Promise<Organisation | undefined> {
    const found = this.data.organisations.find((o) => o.organisationNumber === organisationNumber);
    return found ? organisationOf(found) : undefined;
  }

  async signatories(_tenantId: string, organisationNumber: string): Promise<Signatory[]> {
    return copy(this.data.organisations.find((o) => o.organisationNumber === organisationNumber)?.signatories ?? []);
  }

  async representedBy(_tenantId: string, personalNumber: string): Promise<Organisation[]> {
    return this.data.organisations.filter((o) => o.signatories.some((s) => s.personalNumber === personalNumber)).map(organisationOf);
  }
}

/**
 * The properties in each demo municipality. Like a municipality's agreement with Lantmäteriet, a
 * tenant is answered about the properties inside its own borders only; "Norrby  eken 1:23" and
 * "NORRBY EKEN 1 : 23" name the same property.
 */
export class DemoPropertyRegister implements PropertyRegister {
  readonly name = 'demo';
  constructor(private readonly data: DemoRegisterData = loadDemoRegisters()) {}

  async property(tenantId: string, designation: string): Promise<Property | undefined> {
    const key = designationKey(designation);
    const found = this.data.properties.find((p) => p.tenant === tenantId && designationKey(p.designation) === key);
    return found ? propertyOf(found) : undefined;
  }

  async ownedBy(tenantId: string, ownerNumber: string): Promise<Property[]> {
    return this.data.properties.filter((p) => p.tenant === tenantId && p.owners.some((o) => owns(o, ownerNumber))).map(propertyOf);
  }
}

function propertyOf(p: DemoRegisterData['properties'][number]): Property {
  return copy({ designation: p.designation, address: p.address, owners: p.owners });
}

/** "abc 123" and "ABC123" are the same plate. */
export const plateKey = (r: string) => r.replace(/\s+/g, '').toUpperCase();

export class DemoVehicleRegister implements VehicleRegister {
  readonly name = 'demo';
  constructor(private readonly data: DemoRegisterData = loadDemoRegisters()) {}

  async vehicle(_tenantId: string, registrationNumber: string): Promise<Vehicle | undefined> {
    const found = this.data.vehicles.find((v) => v.registrationNumber === plateKey(registrationNumber));
    return found ? copy(found) : undefined;
  }

  async ownedBy(_tenantId: string, ownerNumber: string): Promise<Vehicle[]> {
    return copy(this.data.vehicles.filter((v) => owns(v.owner, ownerNumber)));
  }
}
