/**
 * The registry of register adapters. For each kind of register (population, business, property,
 * vehicle) a tenant gets the adapter its `registers` entry in the tenants file names, else the one
 * the installation's setting names (POPULATION_REGISTER, BUSINESS_REGISTER, REPRESENTATION_REGISTER, …), else the demo
 * adapter in demo mode, else none — and then every question fails with that register's translated
 * 503 rather than inventing data. Every adapter is wrapped: a call that takes longer than
 * REGISTER_TIMEOUT_MS or fails with anything but an AppError becomes the same 503, so a slow or
 * broken register costs one request, never the process.
 */
import { ConfigError, type Config } from '../../kernel/config.ts';
import { AppError, type ErrorCode } from '../../kernel/errors.ts';
import type { Tenant } from '../../kernel/tenants.ts';
import { resolvePopulationRegister, type PopulationRegister } from '../population-register/index.ts';
import type { BusinessRegister, PropertyRegister, VehicleRegister } from './base.ts';
import { DemoBusinessRegister, DemoPropertyRegister, DemoVehicleRegister } from './demo-adapters.ts';
import { DemoRepresentationRegister, type RepresentationRegister } from '../representation-register/index.ts';

export interface RegisterAdapters {
  population: PopulationRegister;
  business: BusinessRegister;
  property: PropertyRegister;
  vehicle: VehicleRegister;
  /** Who may act for whom: gode män, förvaltare, powers of attorney (ADR 0033). */
  representation: RepresentationRegister;
}

export type RegisterKind = keyof RegisterAdapters;
export const REGISTER_KINDS: readonly RegisterKind[] = ['population', 'business', 'property', 'vehicle', 'representation'];

const UNAVAILABLE: Record<RegisterKind, ErrorCode> = {
  population: 'POPULATION_REGISTER_UNAVAILABLE',
  business: 'BUSINESS_REGISTER_UNAVAILABLE',
  property: 'PROPERTY_REGISTER_UNAVAILABLE',
  vehicle: 'VEHICLE_REGISTER_UNAVAILABLE',
  representation: 'REPRESENTATION_REGISTER_UNAVAILABLE',
};

const SETTING: Record<RegisterKind, { variable: string; value: (c: Config) => string | undefined }> = {
  population: { variable: 'POPULATION_REGISTER', value: (c) => c.populationRegister },
  business: { variable: 'BUSINESS_REGISTER', value: (c) => c.businessRegister },
  property: { variable: 'PROPERTY_REGISTER', value: (c) => c.propertyRegister },
  vehicle: { variable: 'VEHICLE_REGISTER', value: (c) => c.vehicleRegister },
  representation: { variable: 'REPRESENTATION_REGISTER', value: (c) => c.representationRegister },
};

type Factory<K extends RegisterKind> = (config: Config) => RegisterAdapters[K];
const factories: { [K in RegisterKind]: Map<string, Factory<K>> } = {
  // The population register keeps its own registry (registerPopulationRegisterAdapter); see adapterNamed.
  population: new Map(),
  business: new Map([['demo', () => new DemoBusinessRegister()]]),
  property: new Map([['demo', () => new DemoPropertyRegister()]]),
  vehicle: new Map([['demo', () => new DemoVehicleRegister()]]),
  representation: new Map([['demo', () => new DemoRepresentationRegister()]]),
};

/** Makes an adapter selectable by name for a kind of register (BUSINESS_REGISTER=name, or a tenant's `registers`). */
export function registerRegisterAdapter<K extends Exclude<RegisterKind, 'population'>>(kind: K, name: string, factory: Factory<K>): void {
  (factories[kind] as Map<string, Factory<K>>).set(name, factory);
}

/** The questions each kind of register answers (the methods of its contract in base.ts). */
const METHODS: { [K in RegisterKind]: readonly Exclude<keyof RegisterAdapters[K], 'name'>[] } = {
  population: ['lookup', 'custodiansOf', 'householdOf'],
  business: ['organisation', 'signatories', 'representedBy'],
  property: ['property', 'ownedBy'],
  vehicle: ['vehicle', 'ownedBy'],
  representation: ['representedBy'],
};

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** An object of the kind's contract whose every method is `call(methodName)`. */
function adapterOf<K extends RegisterKind>(kind: K, name: string, call: (method: string) => AnyMethod): RegisterAdapters[K] {
  const adapter: Record<string, unknown> = { name };
  for (const method of METHODS[kind]) adapter[method as string] = call(method as string);
  return adapter as unknown as RegisterAdapters[K];
}

/** An adapter for a register nobody configured: every question fails with the register's 503. */
function unconfigured<K extends RegisterKind>(kind: K): RegisterAdapters[K] {
  return adapterOf(kind, 'none', () => async () => {
    throw new AppError(UNAVAILABLE[kind], `no ${kind} register adapter is configured (${SETTING[kind].variable} or the tenant's registers.${kind})`);
  });
}

function adapterNamed<K extends RegisterKind>(kind: K, name: string, config: Config, where: string): RegisterAdapters[K] {
  if (name === 'none') return unconfigured(kind);
  if (kind === 'population') {
    // One rule for demo data in production and unknown names, kept where the population register lives.
    return resolvePopulationRegister({ ...config, populationRegister: name }, false) as RegisterAdapters[K];
  }
  if (name === 'demo' && config.env === 'production') {
    throw new ConfigError(where, `the demo ${kind} register holds test data and is refused in production`);
  }
  const factory = factories[kind].get(name) as Factory<K> | undefined;
  if (!factory) throw new ConfigError(where, `unknown ${kind} register adapter "${name}" (known: ${[...factories[kind].keys(), 'none'].join(', ')})`);
  return factory(config);
}

/**
 * Runs one register call with a deadline. The call may go on after the deadline; its late result
 * or failure is dropped (caught, so it never becomes an unhandled rejection).
 */
export async function withDeadline<T>(code: ErrorCode, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const work = Promise.resolve().then(run);
  work.catch(() => undefined);
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new AppError(code, `the register did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const failure = new AppError(code, `the register failed: ${(err as Error)?.message ?? String(err)}`);
    (failure as Error & { cause?: unknown }).cause = err;
    throw failure;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One object per kind that answers for every tenant: each call goes to the tenant's adapter (the
 * first argument of every register method is the tenant id) under the deadline.
 */
function routed<K extends RegisterKind>(kind: K, forTenant: (tenantId: string) => RegisterAdapters[K], timeoutMs: number): RegisterAdapters[K] {
  return adapterOf(kind, `${kind} (per tenant)`, (method) => (tenantId, ...args) =>
    withDeadline(UNAVAILABLE[kind], timeoutMs, async () => {
      const adapter = forTenant(tenantId as string) as unknown as Record<string, AnyMethod>;
      return adapter[method]!.call(adapter, tenantId, ...args);
    }),
  );
}

/**
 * The registers for these tenants. `overrides` (tests, embedding) replace a kind's adapter for
 * every tenant. Throws ConfigError for an unknown adapter or demo data in production, at start-up.
 */
export function resolveRegisters(config: Config, tenants: readonly Tenant[], demo: boolean, overrides: Partial<RegisterAdapters> = {}): RegisterAdapters {
  const build = <K extends RegisterKind>(kind: K): RegisterAdapters[K] => {
    const perTenant = new Map<string, RegisterAdapters[K]>();
    const shared = new Map<string, RegisterAdapters[K]>();
    for (const tenant of tenants) {
      const own = tenant.registers?.[kind];
      const name = own ?? SETTING[kind].value(config) ?? (demo ? 'demo' : 'none');
      const where = own ? `MEDBORG_TENANTS` : SETTING[kind].variable;
      // Tenants naming the same adapter share one instance (a connection pool, a cache).
      const adapter = overrides[kind] ?? shared.get(name) ?? adapterNamed(kind, name, config, where);
      shared.set(name, adapter);
      perTenant.set(tenant.id, adapter);
    }
    const none = unconfigured(kind);
    return routed(kind, (tenantId) => perTenant.get(tenantId) ?? none, config.registerTimeoutMs);
  };
  return { population: build('population'), business: build('business'), property: build('property'), vehicle: build('vehicle'), representation: build('representation') };
}
