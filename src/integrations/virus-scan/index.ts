/** Virus scanning of uploaded files: the contract, the demo (EICAR) and clamd scanners, and the registry. */
export type { ScanVerdict, VirusScanner } from './base.ts';
export { ClamdVirusScanner, type ClamdOptions } from './clamd.ts';
export { DemoVirusScanner, EICAR } from './demo.ts';
export { registerVirusScanner, resolveVirusScanner, UnconfiguredVirusScanner, type VirusScannerFactory } from './registry.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Scans every uploaded file before its type is checked or it is stored. */
    virusScanner: import('./base.ts').VirusScanner;
  }
}
