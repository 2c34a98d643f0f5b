/**
 * Registers behind adapters: the population register (../population-register), the business,
 * property and vehicle registers, and earlier cases of the same resident. The plugin decorates the
 * app with `app.registers` (every kind, routed per tenant, each call under a deadline) and
 * `app.populationRegister` (the same population register, for the modules that ask it already).
 * A register is asked only when a page needs it: nothing here asks anything at start-up.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { resolveRegisters, type RegisterAdapters } from './registry.ts';

export type { BusinessRegister, PropertyRegister, VehicleRegister, Organisation, OrganisationKind, Signatory, Property, Vehicle, Owner, PostalAddress } from './base.ts';
export { resolveRegisters, registerRegisterAdapter, withDeadline, REGISTER_KINDS, type RegisterAdapters, type RegisterKind } from './registry.ts';
export { DemoBusinessRegister, DemoPropertyRegister, DemoVehicleRegister, loadDemoRegisters, DemoRegisterDataError, DEMO_REGISTERS_FILE, type DemoRegisterData } from './demo-adapters.ts';
export type { Representation, RepresentationKind, RepresentationRegister } from '../representation-register/index.ts';
export { REPRESENTATION_KINDS } from '../representation-register/index.ts';
export { parseOrganisationNumber, formatOrganisationNumber } from './organisation-number.ts';
export { parseDesignation, designationKey, MAX_DESIGNATION_LENGTH } from './property-designation.ts';
export { earlierCases, earlierCase, type EarlierCase, type EarlierCasesQuery } from './earlier-cases.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every register, routed to the asking tenant's adapter. */
    registers: RegisterAdapters;
  }
}

export interface RegistersOptions {
  /** Replace a kind's adapter for every tenant (tests count calls on a real demo adapter this way). */
  overrides?: Partial<RegisterAdapters>;
}

async function registers(app: FastifyInstance, opts: RegistersOptions): Promise<void> {
  const resolved = resolveRegisters(app.appConfig, app.tenants.all, app.demo, opts.overrides);
  app.decorate('registers', resolved);
  if (!app.hasDecorator('populationRegister')) app.decorate('populationRegister', resolved.population);
}

/** Decorates the app with the registers (shared infrastructure, so not encapsulated). */
export const registersPlugin = fp(registers, { name: 'medborg-registers', fastify: '5.x', dependencies: ['medborg-http-kernel'] });
