import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../kernel/config.ts';
import { AppError } from '../../kernel/errors.ts';
import {
  DemoDataError,
  DemoPopulationRegister,
  birthDateOf,
  isTestPersonalNumber,
  isValidPersonalNumber,
  isCoordinationNumber,
  loadDemoRegisterData,
  luhnCheckDigit,
  maskPersonalNumber,
  parsePersonalNumber,
  resolvePopulationRegister,
  UnconfiguredPopulationRegister,
} from './index.ts';

test('the Luhn check digit of personal identity numbers', () => {
  assert.equal(luhnCheckDigit('900101980'), 2); // 18900101-9802, Skatteverket's test list
  assert.equal(luhnCheckDigit('900102980'), 1); // 18900102-9801
  assert.equal(luhnCheckDigit('640823323'), 4); // 19640823-3234, Skatteverket's worked example
  for (const valid of ['189001019802', '189001029801', '18900101-9802', '196408233234']) assert.ok(parsePersonalNumber(valid), valid);
  assert.equal(parsePersonalNumber('18900101-9802'), '189001019802');
  for (const invalid of ['189001019803', '189001019812', '18900101980', '1890010198022', '8900101-9802', 'abcdefghijkl', '', 189001019802]) {
    assert.equal(parsePersonalNumber(invalid), undefined, String(invalid));
  }
  assert.equal(parsePersonalNumber('189002309800'), undefined, '30 February is no date');
  // A co-ordination number (samordningsnummer): the day of birth + 60, so 61–91, with its own check digit (ADR 0035).
  assert.equal(parsePersonalNumber('18900161-9809'), '189001619809', '1 January + 60');
  assert.equal(parsePersonalNumber('189001919803'), '189001919803', '31 January + 60');
  assert.ok(isCoordinationNumber('189001619809') && !isCoordinationNumber('189001019802'));
  assert.equal(birthDateOf('189001619809'), '1890-01-01');
  assert.equal(parsePersonalNumber('189001619805'), undefined, 'a co-ordination number with a wrong check digit');
  assert.equal(parsePersonalNumber('189001609800'), undefined, 'day 60 is day 0 of the month');
  assert.equal(parsePersonalNumber('189001929802'), undefined, 'day 92 is 32 January');
  assert.ok(isTestPersonalNumber('199204729819'), 'the demo resident with a co-ordination number is in the test range');
  assert.ok(isValidPersonalNumber('189001019802'));
  assert.ok(!isValidPersonalNumber('18900101-9802'), 'only the normalised twelve digits count as valid');
});

test('test numbers are told apart from numbers that may belong to real people', () => {
  assert.ok(isTestPersonalNumber('189001019802'));
  assert.ok(!isTestPersonalNumber('196408233234'), 'valid, but not in the reserved range');
  assert.ok(!isTestPersonalNumber('189001019803'), 'wrong check digit');
});

test('masking keeps the birth date only', () => {
  assert.equal(maskPersonalNumber('198803149825'), '19880314-****');
  assert.equal(birthDateOf('202205109826'), '2022-05-10');
});

test('the demo register: test numbers only, residents of both tenants, some with pre-school children', () => {
  // A co-ordination number's birth date is its day less 60 (ADR 0030).
  assert.equal(birthDateOf('198803749826'), '1988-03-14');
  const people = loadDemoRegisterData();
  assert.ok(people.length >= 6);
  assert.deepEqual([...new Set(people.map((p) => p.tenant))].sort(), ['norrby', 'sodera']);
  for (const p of people) {
    assert.ok(isTestPersonalNumber(p.personalNumber), p.name);
    assert.ok(p.children.length <= 3);
    for (const c of p.children) {
      assert.ok(isTestPersonalNumber(c.personalNumber), c.name);
      // Pre-school age, and some of school age for the school choice (Sigge Nord, born 2019) and the
      // services with a minimum age (after-school care, the art school, camps: born 2017–2018, ADR 0030).
      assert.ok(c.birthDate >= '2017-01-01' && c.birthDate <= '2025-12-31', `${c.name} is of pre-school or school age`);
      assert.equal(c.birthDate, birthDateOf(c.personalNumber));
    }
  }
  for (const tenant of ['norrby', 'sodera']) {
    const here = people.filter((p) => p.tenant === tenant);
    assert.ok(here.some((p) => p.children.length === 0), `${tenant} has a resident without children`);
    assert.ok(here.some((p) => p.children.length > 0), `${tenant} has a resident with children`);
  }
  assert.ok(people.some((p) => p.children.length === 3));
});

test('a demo lookup returns the person, address and children, or undefined', async () => {
  const register = new DemoPopulationRegister();
  const anna = await register.lookup('norrby', '198803149825');
  assert.equal(anna?.name, 'Anna Andersson');
  assert.deepEqual(anna?.address, { street: 'Storgatan 12', postalCode: '123 45', city: 'Norrby', municipalityCode: '9901', position: { lat: 62.3913, lon: 17.2713 } });
  assert.deepEqual(
    anna?.children.map((c) => [c.name, c.birthDate]),
    [
      ['Elsa Andersson', '2022-05-10'],
      ['Olle Andersson', '2024-01-22'],
    ],
  );
  anna!.children.pop();
  assert.equal((await register.lookup('norrby', '198803149825'))?.children.length, 2, 'callers get a copy');
  assert.equal(await register.lookup('norrby', '189001019802'), undefined);
  assert.equal((await register.lookup('sodera', '198708089837'))?.address.city, 'Söderå');
});

test('the demo register refuses data with a number outside the test range', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-register-'));
  const file = path.join(dir, 'bad.yaml');
  writeFileSync(
    file,
    `people:\n  - personalNumber: '196408233234'\n    givenName: Real\n    familyName: Person\n    tenant: norrby\n    address: { street: A 1, postalCode: '123 45', city: X, municipalityCode: '9901' }\n    children: []\n`,
  );
  assert.throws(() => loadDemoRegisterData(file), (e: unknown) => e instanceof DemoDataError && /\/people\/0\/personalNumber/.test(e.message) && !e.message.includes('196408233234'));
});

test('the registry: demo in demo mode, a clear error when none is configured', async () => {
  const config = loadConfig({ MEDBORG_ENV: 'test' });
  assert.ok(resolvePopulationRegister(config, true) instanceof DemoPopulationRegister);
  const none = resolvePopulationRegister(config, false);
  assert.ok(none instanceof UnconfiguredPopulationRegister);
  await assert.rejects(none.lookup('norrby', '198803149825'), (e: unknown) => e instanceof AppError && e.code === 'POPULATION_REGISTER_UNAVAILABLE' && e.status === 503);
  assert.ok(resolvePopulationRegister(loadConfig({ MEDBORG_ENV: 'test', POPULATION_REGISTER: 'demo' }), false) instanceof DemoPopulationRegister);
  assert.throws(
    () => resolvePopulationRegister(loadConfig({ MEDBORG_ENV: 'test', POPULATION_REGISTER: 'navet' }), false),
    (e: unknown) => e instanceof ConfigError && e.variable === 'POPULATION_REGISTER',
  );
  const production = loadConfig({ MEDBORG_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'https://e.norrby.example', POPULATION_REGISTER: 'demo' });
  assert.throws(() => resolvePopulationRegister(production, false), (e: unknown) => e instanceof ConfigError && /production/.test(e.message));
});
