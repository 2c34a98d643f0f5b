/**
 * Picks the virus scanner: the one VIRUS_SCANNER names ("clamd", or one a municipality registers),
 * else the demo scanner in demo mode, else none — and then every upload is refused with a clear,
 * translated error (fail closed): a file that was not scanned is never stored.
 */
import { ConfigError, type Config } from '../../kernel/config.ts';
import { AppError } from '../../kernel/errors.ts';
import type { ScanVerdict, VirusScanner } from './base.ts';
import { ClamdVirusScanner } from './clamd.ts';
import { DemoVirusScanner } from './demo.ts';

export type VirusScannerFactory = (config: Config) => VirusScanner;

const factories = new Map<string, VirusScannerFactory>([
  ['demo', () => new DemoVirusScanner()],
  ['clamd', (config) => new ClamdVirusScanner(config.clamd)],
]);

/** Makes a scanner selectable by name (VIRUS_SCANNER=name). */
export function registerVirusScanner(name: string, factory: VirusScannerFactory): void {
  factories.set(name, factory);
}

/** Used when no scanner is configured: every scan throws VIRUS_SCANNER_UNAVAILABLE. */
export class UnconfiguredVirusScanner implements VirusScanner {
  readonly name = 'none';
  async scan(_data: Buffer): Promise<ScanVerdict> {
    throw new AppError('VIRUS_SCANNER_UNAVAILABLE', 'no virus scanner is configured (VIRUS_SCANNER): uploads are refused');
  }
}

/** The scanner for this configuration; throws ConfigError for an unknown name or the demo scanner in production. */
export function resolveVirusScanner(config: Config, demo: boolean): VirusScanner {
  const name = config.virusScanner ?? (demo ? 'demo' : undefined);
  if (name === undefined) return new UnconfiguredVirusScanner();
  if (name === 'demo' && config.env === 'production') {
    throw new ConfigError('VIRUS_SCANNER', 'the demo scanner finds only the EICAR test file and is refused in production');
  }
  const factory = factories.get(name);
  if (!factory) throw new ConfigError('VIRUS_SCANNER', `unknown scanner "${name}" (known: ${[...factories.keys()].join(', ')})`);
  return factory(config);
}
