/**
 * The population register (folkbokföringen) integration: its contract, the adapter registry, the
 * demo adapter, and personal identity number helpers. The plugin decorates the app with
 * `app.populationRegister`, the configured adapter, for every module to use.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PopulationRegister } from './base.ts';
import { resolvePopulationRegister } from './registry.ts';

export type { PopulationRegister, RegisteredPerson, RegisteredChild, RegisteredAddress, RelatedPerson } from './base.ts';
export { DemoPopulationRegister, loadDemoRegisterData, DemoDataError, DEMO_DATA_FILE, type DemoPerson } from './demo-adapter.ts';
export {
  resolvePopulationRegister,
  registerPopulationRegisterAdapter,
  UnconfiguredPopulationRegister,
  type PopulationRegisterFactory,
} from './registry.ts';
export {
  luhnCheckDigit,
  parsePersonalNumber,
  isValidPersonalNumber,
  isCoordinationNumber,
  isTestPersonalNumber,
  birthDateOf,
  maskPersonalNumber,
  formatPersonalNumber,
} from './personal-number.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The configured population register adapter. */
    populationRegister: PopulationRegister;
  }
}

async function populationRegister(app: FastifyInstance): Promise<void> {
  app.decorate('populationRegister', resolvePopulationRegister(app.appConfig, app.demo));
}

/** Decorates the app with the configured population register (shared infrastructure, so not encapsulated). */
export const populationRegisterPlugin = fp(populationRegister, {
  name: 'medborg-population-register',
  fastify: '5.x',
  dependencies: ['medborg-http-kernel'],
});
