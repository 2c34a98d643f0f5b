/** The blob store contract: where attachments and produced documents are kept. Keys are ours, never user input. */
export interface BlobStore {
  readonly name: string;
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
}

/** Keys look like tenant/yyyy/mm/uuid.ext: no dots-only segments, no absolute paths, nothing a person typed. */
export const BLOB_KEY = /^[a-z][a-z0-9_]*\/\d{4}\/\d{2}\/[0-9a-f-]{36}(\.[a-z0-9]{1,8})?$/;

export function assertBlobKey(key: string): void {
  if (!BLOB_KEY.test(key)) throw new Error(`Refusing blob key ${JSON.stringify(key)}`);
}
