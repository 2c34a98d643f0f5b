import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../kernel/config.ts';
import { FilesystemBlobStore, newBlobKey, registerBlobStore, resolveBlobStore, type BlobStore } from './index.ts';

const now = new Date('2026-12-01T10:00:00Z');

test('the filesystem store keeps, returns and deletes a blob under tenant/year/month', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'mb-blobs-'));
  const store = new FilesystemBlobStore(root);
  const key = newBlobKey('norrby', now, 'pdf');
  assert.match(key, /^norrby\/2026\/12\/[0-9a-f-]{36}\.pdf$/);
  await store.put(key, Buffer.from('åäö'));
  assert.equal((await store.get(key))?.toString(), 'åäö');
  // Written to a temporary name and renamed: no temporary file is left beside it.
  assert.deepEqual(readdirSync(path.join(root, 'norrby', '2026', '12')), [key.split('/').pop()]);
  await store.delete(key);
  assert.equal(await store.get(key), undefined);
  await store.delete(key); // deleting what is gone is not an error
});

test('the filesystem store refuses keys that are not its own (path traversal, absolute paths, typed names)', async () => {
  const store = new FilesystemBlobStore(mkdtempSync(path.join(tmpdir(), 'mb-blobs-')));
  for (const bad of ['../etc/passwd', '/etc/passwd', 'norrby/2026/12/../../../x', 'norrby/2026/12/report.pdf', 'norrby/2026/12/%2e%2e', '']) {
    await assert.rejects(store.put(bad, Buffer.from('x')), /Refusing blob key/, bad);
    await assert.rejects(store.get(bad), /Refusing blob key/, bad);
  }
});

test('BLOB_STORE picks the store: filesystem by default, a registered one by name, an unknown name is refused', async () => {
  const fs = resolveBlobStore(loadConfig({ MEDBORG_ENV: 'test' }));
  assert.equal(fs.name, 'filesystem');

  const kept = new Map<string, Buffer>();
  const memory: BlobStore = {
    name: 'memory-test',
    put: async (k, d) => void kept.set(k, d),
    get: async (k) => kept.get(k),
    delete: async (k) => void kept.delete(k),
  };
  registerBlobStore('memory-test', () => memory);
  const chosen = resolveBlobStore(loadConfig({ MEDBORG_ENV: 'test', BLOB_STORE: 'memory-test' }));
  assert.equal(chosen, memory);
  await chosen.put('norrby/2026/12/x', Buffer.from('y'));
  assert.equal(kept.size, 1);

  assert.throws(
    () => resolveBlobStore(loadConfig({ MEDBORG_ENV: 'test', BLOB_STORE: 's3-not-registered' })),
    (e: unknown) => e instanceof ConfigError && e.variable === 'BLOB_STORE' && /s3-not-registered/.test(e.message) && /filesystem/.test(e.message),
  );
});
