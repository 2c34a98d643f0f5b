/**
 * Picks the population register adapter: the one POPULATION_REGISTER names, else the demo
 * register in demo mode, else none — and then every lookup fails with a clear, translated error
 * rather than inventing data.
 */
import { ConfigError, type Config } from '../../kernel/config.ts';
import { AppError } from '../../kernel/errors.ts';
import type { PopulationRegister, RegisteredPerson, RelatedPerson } from './base.ts';
import { DemoPopulationRegister } from './demo-adapter.ts';

export type PopulationRegisterFactory = (config: Config) => PopulationRegister;

const factories = new Map<string, PopulationRegisterFactory>([['demo', () => new DemoPopulationRegister()]]);

/** Makes an adapter selectable by name (POPULATION_REGISTER=name). */
export function registerPopulationRegisterAdapter(name: string, factory: PopulationRegisterFactory): void {
  factories.set(name, factory);
}

/** Used when no adapter is configured: every lookup throws POPULATION_REGISTER_UNAVAILABLE. */
export class UnconfiguredPopulationRegister implements PopulationRegister {
  readonly name = 'none';
  async lookup(_tenantId: string, _personalNumber: string): Promise<RegisteredPerson | undefined> {
    throw new AppError('POPULATION_REGISTER_UNAVAILABLE', 'no population register adapter is configured (POPULATION_REGISTER)');
  }
  async custodiansOf(): Promise<RelatedPerson[]> {
    throw new AppError('POPULATION_REGISTER_UNAVAILABLE', 'no population register adapter is configured (POPULATION_REGISTER)');
  }
  async householdOf(): Promise<RelatedPerson[]> {
    throw new AppError('POPULATION_REGISTER_UNAVAILABLE', 'no population register adapter is configured (POPULATION_REGISTER)');
  }
}

/** The adapter for this configuration; throws ConfigError for an unknown name or demo data in production. */
export function resolvePopulationRegister(config: Config, demo: boolean): PopulationRegister {
  const name = config.populationRegister ?? (demo ? 'demo' : undefined);
  if (name === undefined) return new UnconfiguredPopulationRegister();
  if (name === 'demo' && config.env === 'production') {
    throw new ConfigError('POPULATION_REGISTER', 'the demo register holds test data and is refused in production');
  }
  const factory = factories.get(name);
  if (!factory) {
    throw new ConfigError('POPULATION_REGISTER', `unknown adapter "${name}" (known: ${[...factories.keys()].join(', ')})`);
  }
  return factory(config);
}
