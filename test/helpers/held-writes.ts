/** For race tests: hold a blob store's writes until a number of them are waiting, then let all through. */
import type { BlobStore } from '../../src/integrations/blob-store/index.ts';

export interface HeldWrites {
  /** How many writes have arrived so far (held or let through). */
  readonly count: number;
  /** Puts the store's own write back. */
  restore(): void;
}

/**
 * From now on every `put` waits until `until` writes have arrived, so concurrent requests that
 * each render a file before they commit are all past their render when they race to record it.
 */
export function holdBlobWrites(blobs: BlobStore, until: number): HeldWrites {
  const put = blobs.put.bind(blobs);
  let count = 0;
  let release!: () => void;
  const allHere = new Promise<void>((resolve) => (release = resolve));
  blobs.put = async (key, data) => {
    if (++count === until) release();
    await allHere;
    return put(key, data);
  };
  return {
    get count() {
      return count;
    },
    restore: () => {
      blobs.put = put;
    },
  };
}
