/** Blob storage: the contract, the filesystem store (default), and key generation. */
import { uuidv7 } from '../../kernel/ids.ts';
import { stockholmToday } from '../../forms/dates.ts';
import type { BlobStore } from './base.ts';

export type { BlobStore } from './base.ts';
export { assertBlobKey, BLOB_KEY } from './base.ts';
export { FilesystemBlobStore } from './filesystem.ts';
export { registerBlobStore, resolveBlobStore, type BlobStoreFactory } from './registry.ts';

/** A new key for a tenant's blob, spread over year/month folders. */
export function newBlobKey(tenantId: string, now: Date, ext?: string): string {
  const day = stockholmToday(now);
  return `${tenantId}/${day.slice(0, 4)}/${day.slice(5, 7)}/${uuidv7(now.getTime())}${ext ? `.${ext}` : ''}`;
}

/**
 * Removes blobs that nothing records (their change did not commit), so the store holds no file that
 * no case points to. Best effort: the caller reports why its change failed, not a failed delete.
 */
export async function discardBlobs(blobs: BlobStore, stored: readonly { blobKey: string }[]): Promise<void> {
  await Promise.allSettled(stored.map((f) => blobs.delete(f.blobKey)));
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Where attachments and produced documents are stored. */
    blobs: import('./base.ts').BlobStore;
  }
}
