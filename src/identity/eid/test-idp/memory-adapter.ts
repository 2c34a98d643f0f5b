/**
 * Storage for the test e-ID provider: in process memory, which is right for a demo provider that
 * lives and dies with the server (its sessions are test sessions). Consuming an authorization
 * code marks it, so a replayed code is refused; revoking a grant removes everything issued under it.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

class Store {
  readonly entries = new Map<string, Entry>();
  readonly byUid = new Map<string, string>();
  readonly byUserCode = new Map<string, string>();
  readonly byGrant = new Map<string, Set<string>>();

  get(key: string): AdapterPayload | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.payload;
  }
}

/** Returns an adapter class bound to one store, so two providers in one process never share data. */
export function memoryAdapterFactory(): new (model: string) => Adapter {
  const store = new Store();
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = this.key(id);
      store.entries.set(key, { payload: { ...payload }, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      if (payload.uid) store.byUid.set(payload.uid, id);
      if (payload.userCode) store.byUserCode.set(payload.userCode, id);
      if (payload.grantId) {
        const keys = store.byGrant.get(payload.grantId) ?? new Set<string>();
        keys.add(key);
        store.byGrant.set(payload.grantId, keys);
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const p = store.get(this.key(id));
      return p ? { ...p } : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = store.byUid.get(uid);
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = store.byUserCode.get(userCode);
      return id ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      const p = store.get(this.key(id));
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      store.entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of store.byGrant.get(grantId) ?? []) store.entries.delete(key);
      store.byGrant.delete(grantId);
    }
  };
}
