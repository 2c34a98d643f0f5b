/**
 * Picks the blob store: the one BLOB_STORE names ("filesystem" by default). A municipality that
 * keeps documents in object storage or its records system registers a factory under a name and
 * sets BLOB_STORE to it; nothing else in Medborg changes.
 */
import { ConfigError, type Config } from '../../kernel/config.ts';
import type { BlobStore } from './base.ts';
import { FilesystemBlobStore } from './filesystem.ts';

export type BlobStoreFactory = (config: Config) => BlobStore;

const factories = new Map<string, BlobStoreFactory>([['filesystem', (config) => new FilesystemBlobStore(config.blobDir)]]);

/** Makes a store selectable by name (BLOB_STORE=name). */
export function registerBlobStore(name: string, factory: BlobStoreFactory): void {
  factories.set(name, factory);
}

/** The store for this configuration; throws ConfigError naming BLOB_STORE for an unknown name. */
export function resolveBlobStore(config: Config): BlobStore {
  const factory = factories.get(config.blobStore);
  if (!factory) throw new ConfigError('BLOB_STORE', `unknown blob store "${config.blobStore}" (known: ${[...factories.keys()].join(', ')})`);
  return factory(config);
}
