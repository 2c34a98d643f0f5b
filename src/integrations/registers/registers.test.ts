import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../kernel/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { loadTenants } from '../../kernel/tenants.ts';
import { DemoPopulationRegister, loadDemoRegisterData } from '../population-register/index.ts';
import { DemoBusinessRegister, DemoPropertyRegister, DemoVehicleRegister, loadDemoRegisters, parseOrganisationNumber, resolveRegisters, withDeadline, type BusinessRegister } from './index.ts';
import { repoRoot } from '../../../test/helpers/app.ts';
import path from 'node:path';

const tenants = loadTenants(path.join(repoRoot, 'tenants.yaml')).all;
const config = loadConfig({ MEDBORG_ENV: 'test' });
const unavailable = (code: string) => (e: unknown) => e instanceof AppError && e.code === code && e.status === 503;

test('organisation numbers: ten digits, the third at least 2, a Luhn check digit', () => {
  assert.equal(parseOrganisationNumber('556677-8899'), '5566778899');
  assert.equal(parseOrganisationNumber('5566778899'), '5566778899');
  assert.equal(parseOrganisationNumber('5566778898'), undefined, 'wrong check digit');
  assert.equal(parseOrganisationNumber('8803149825'), undefined, 'a personal identity number is no organisation number');
});

test('the demo business register: companies and associations, their signatories, demo residents among them', async () => {
  const business = new DemoBusinessRegister();
  const krog = await business.organisation('norrby', '5566778899');
  assert.deepEqual(krog, { organisationNumber: '5566778899', name: 'Norrby Krog & Kök AB', form: 'AB', kind: 'company', address: { street: 'Storgatan 3', postalCode: '123 45', city: 'Norrby' } });
  assert.equal((await business.organisation('norrby', '8020123454'))?.kind, 'association');
  assert.equal(await business.organisation('norrby', '5566778898'), undefined);
  assert.deepEqual((await business.signatories('norrby', '5566778899')).map((s) => [s.name, s.alone]), [['Sara Lind', true], ['Gunnar Nilsson', false]]);
  assert.deepEqual(await business.signatories('norrby', '0000000000'), []);
  // Sara Lind, a demo resident of Norrby, may act for her company.
  assert.deepEqual((await business.representedBy('norrby', '197911309842')).map((o) => o.name), ['Norrby Krog & Kök AB']);
  const residents = new Set(loadDemoRegisterData().map((p) => p.personalNumber));
  for (const o of loadDemoRegisters().organisations) {
    assert.ok(o.signatories.some((s) => residents.has(s.personalNumber)), `${o.name} has a demo resident who may sign for it`);
  }
  krog!.address.city = 'changed';
  assert.equal((await business.organisation('norrby', '5566778899'))?.address.city, 'Norrby', 'callers get a copy');
});

test('the demo property and vehicle registers', async () => {
  const property = new DemoPropertyRegister();
  const eken = await property.property('norrby', '  norrby  EKEN 1:23 ');
  assert.equal(eken?.designation, 'Norrby Eken 1:23');
  assert.deepEqual(eken?.owners.map((o) => [o.name, o.share]), [['Anna Andersson', '1/2'], ['Mikael Andersson', '1/2']]);
  assert.equal((await property.property('norrby', 'NORRBY EKEN 1 : 23'))?.designation, 'Norrby Eken 1:23', 'case, spaces and the colon are not significant');
  assert.equal(await property.property('norrby', 'Norrby Eken 1:99'), undefined);
  assert.equal(await property.property('sodera', 'Norrby Eken 1:23'), undefined, 'a municipality is told of its own properties only');
  assert.deepEqual((await property.ownedBy('norrby', '5566778899')).map((p) => p.designation), ['Norrby Hamnen 2:5'], 'an organisation owns one');
  assert.deepEqual((await property.ownedBy('sodera', '5560123456')).map((p) => p.designation), ['Söderå Torget 2:1']);
  const vehicle = new DemoVehicleRegister();
  const car = await vehicle.vehicle('norrby', 'abc 123');
  assert.deepEqual([car?.make, car?.model, car?.owner.name], ['Volvo', 'V70', 'Anna Andersson']);
  assert.equal(await vehicle.vehicle('norrby', 'ZZZ999'), undefined);
  assert.deepEqual((await vehicle.ownedBy('norrby', '5566778899')).map((v) => v.registrationNumber), ['KRG001']);
});

test('the population register: custodians of a child, the household at an address', async () => {
  const population = new DemoPopulationRegister();
  assert.deepEqual((await population.custodiansOf('norrby', '202205109826')).map((p) => p.name), ['Anna Andersson', 'Mikael Andersson']);
  assert.deepEqual((await population.custodiansOf('norrby', '189001019802')).map((p) => p.name), []);
  assert.deepEqual((await population.householdOf('norrby', '198803149825')).map((p) => p.name).sort(), ['Elsa Andersson', 'Mikael Andersson', 'Olle Andersson']);
  assert.deepEqual(await population.householdOf('norrby', '189001019802'), []);
  assert.equal((await population.lookup('norrby', '198606119819'))?.children.length, 2, 'a child listed under both custodians loads');
});

test('the registry: demo adapters in demo mode, a translated 503 when a register is not configured', async () => {
  const demo = resolveRegisters(config, tenants, true);
  assert.equal((await demo.business.organisation('norrby', '5566778899'))?.name, 'Norrby Krog & Kök AB');
  assert.equal((await demo.vehicle.vehicle('sodera', 'XYZ98A'))?.make, 'Volkswagen');
  const none = resolveRegisters(config, tenants, false);
  await assert.rejects(none.business.organisation('norrby', '5566778899'), unavailable('BUSINESS_REGISTER_UNAVAILABLE'));
  await assert.rejects(none.property.property('norrby', 'Norrby Eken 1:23'), unavailable('PROPERTY_REGISTER_UNAVAILABLE'));
  await assert.rejects(none.vehicle.vehicle('norrby', 'ABC123'), unavailable('VEHICLE_REGISTER_UNAVAILABLE'));
  await assert.rejects(none.population.lookup('norrby', '198803149825'), unavailable('POPULATION_REGISTER_UNAVAILABLE'));
  // An unknown tenant gets no register rather than another tenant's.
  await assert.rejects(demo.business.organisation('elsewhere', '5566778899'), unavailable('BUSINESS_REGISTER_UNAVAILABLE'));
});

test('the registry: per tenant from the tenants file, else the installation setting', async () => {
  const own = tenants.map((t) => (t.id === 'sodera' ? { ...t, registers: { business: 'none', vehicle: 'demo' } } : t));
  const r = resolveRegisters(loadConfig({ MEDBORG_ENV: 'test', BUSINESS_REGISTER: 'demo' }), own, false);
  assert.equal((await r.business.organisation('norrby', '5566778899'))?.form, 'AB', 'norrby: the installation setting');
  await assert.rejects(r.business.organisation('sodera', '5566778899'), unavailable('BUSINESS_REGISTER_UNAVAILABLE'), 'sodera: none, its own choice');
  assert.equal((await r.vehicle.vehicle('sodera', 'ABC123'))?.make, 'Volvo', 'sodera: its own demo vehicle register');
  await assert.rejects(r.vehicle.vehicle('norrby', 'ABC123'), unavailable('VEHICLE_REGISTER_UNAVAILABLE'));
  assert.throws(() => resolveRegisters(loadConfig({ MEDBORG_ENV: 'test', PROPERTY_REGISTER: 'lantmateriet' }), tenants, false), (e: unknown) => e instanceof ConfigError && e.variable === 'PROPERTY_REGISTER');
  assert.throws(
    () => resolveRegisters(loadConfig({ MEDBORG_ENV: 'test' }), own.map((t) => ({ ...t, registers: { population: 'navet' } })), false),
    (e: unknown) => e instanceof ConfigError && e.variable === 'POPULATION_REGISTER',
  );
  const production = loadConfig({ MEDBORG_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'https://e.norrby.example', VEHICLE_REGISTER: 'demo' });
  assert.throws(() => resolveRegisters(production, tenants, false), (e: unknown) => e instanceof ConfigError && /production/.test(e.message));
});

test('a register that hangs or crashes gives its 503 within the deadline, and a late failure is no unhandled rejection', async () => {
  let unhandled = 0;
  const count = () => unhandled++;
  process.on('unhandledRejection', count);
  try {
    const hanging: BusinessRegister = {
      name: 'hanging',
      organisation: () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late failure')), 300)),
      signatories: async () => {
        throw new Error('connection refused');
      },
      representedBy: async () => [],
    };
    const r = resolveRegisters(loadConfig({ MEDBORG_ENV: 'test', REGISTER_TIMEOUT_MS: '100' }), tenants, false, { business: hanging });
    const started = Date.now();
    await assert.rejects(r.business.organisation('norrby', '5566778899'), unavailable('BUSINESS_REGISTER_UNAVAILABLE'));
    assert.ok(Date.now() - started < 280, 'answered at the deadline, not when the register gave up');
    await assert.rejects(r.business.signatories('norrby', '5566778899'), (e: unknown) => unavailable('BUSINESS_REGISTER_UNAVAILABLE')(e) && /connection refused/.test((e as Error).message));
    assert.deepEqual(await r.business.representedBy('norrby', '197911309842'), []);
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal(unhandled, 0);
    assert.equal(await withDeadline('VEHICLE_REGISTER_UNAVAILABLE', 100, async () => 7), 7);
  } finally {
    process.off('unhandledRejection', count);
  }
});
