/** The demo representation register (ADR 0033): its data, per tenant, and the test-number rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DemoRepresentationDataError, DemoRepresentationRegister, loadDemoRepresentations } from './index.ts';
import { resolveRegisters } from '../registers/index.ts';
import { loadConfig } from '../../kernel/config.ts';
import { AppError } from '../../kernel/errors.ts';

const demo = new DemoRepresentationRegister();

test('the demo register lists what a person holds in their own municipality, ended ones too', async () => {
  assert.deepEqual(await demo.representedBy('norrby', '197911309842'), [{ kind: 'godman', representative: '197911309842', represented: { personalNumber: '193805129875', name: 'Gösta Lindgren' }, from: '2023-03-01' }]);
  assert.deepEqual((await demo.representedBy('norrby', '198502209862')).map((r) => r.until), ['2026-06-30']);
  assert.deepEqual(await demo.representedBy('sodera', '197911309842'), [], 'Sara represents nobody in Söderå');
  assert.deepEqual(await demo.representedBy('norrby', '198004129857'), []);
});

test('a demo file naming a number outside the test range is refused, without echoing it', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'medborg-rep-')), 'data.yaml');
  writeFileSync(file, "representations:\n  - { kind: godman, tenant: norrby, representative: '197911309842', represented: { personalNumber: '194109031234', name: X }, from: '2020-01-01' }\n");
  assert.throws(() => loadDemoRepresentations(file), (err: Error) => err instanceof DemoRepresentationDataError && /represented\/personalNumber is not a valid test personal identity number/.test(err.message) && !err.message.includes('194109031234'));
});

test('without an adapter the register is its own translated 503', async () => {
  const config = loadConfig({ MEDBORG_ENV: 'test', REPRESENTATION_REGISTER: 'none' });
  const registers = resolveRegisters(config, [{ id: 'norrby' } as never], true);
  await assert.rejects(registers.representation.representedBy('norrby', '197911309842'), (err: unknown) => err instanceof AppError && err.code === 'REPRESENTATION_REGISTER_UNAVAILABLE');
});
