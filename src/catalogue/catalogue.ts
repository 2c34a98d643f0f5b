/** The loaded catalogue as other modules see it: read-only lookups by tenant, service and register. */
import type { Tenant, TenantRegistry } from '../kernel/tenants.ts';
import { CatalogueError, readCatalogue, type ReadOptions, type Register, type TenantCatalogue } from './loader.ts';
import type { LinkService, ListedService, RegisterEntry, ServiceDefinition, StaffRoleSpec } from './types.ts';

export interface Catalogue {
  /** The tenant's services, sorted by Swedish title (then id); empty for an unknown tenant. */
  services(tenantId: string): ServiceDefinition[];
  service(tenantId: string, id: string): ServiceDefinition | undefined;
  /** The services external systems deliver (engine link), sorted the same way. */
  links(tenantId: string): LinkService[];
  linkService(tenantId: string, id: string): LinkService | undefined;
  /** Everything the public list shows: case services and link services, sorted by Swedish title (then id). */
  listed(tenantId: string): ListedService[];
  /** A register's entries in file order, or undefined when the tenant has no such register. */
  register(tenantId: string, registerId: string): RegisterEntry[] | undefined;
  registerEntry(tenantId: string, registerId: string, entryId: string): RegisterEntry | undefined;
  /** The register with its title and source file. */
  registerInfo(tenantId: string, registerId: string): Register | undefined;
  /** The staff roles the tenant's services declare (beyond the built-in ones), first name wins. */
  staffRoles(tenantId: string): StaffRoleSpec[];
}

interface Indexed {
  services: readonly ServiceDefinition[];
  byId: Map<string, ServiceDefinition>;
  links: readonly LinkService[];
  linkById: Map<string, LinkService>;
  listed: readonly ListedService[];
  registers: Map<string, Register>;
  entries: Map<string, Map<string, RegisterEntry>>;
}

const listOrder = new Intl.Collator('sv');

/** Builds the lookups over catalogues that have been read and checked. Definitions are frozen. */
export function catalogueOf(loaded: readonly TenantCatalogue[]): Catalogue {
  const tenants = new Map<string, Indexed>();
  for (const t of loaded) {
    tenants.set(t.tenant, {
      services: t.services,
      byId: new Map(t.services.map((s) => [s.id, s])),
      links: t.links,
      linkById: new Map(t.links.map((s) => [s.id, s])),
      listed: [...t.services, ...t.links].sort((a, b) => listOrder.compare(a.title.sv, b.title.sv) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      registers: t.registers,
      entries: new Map([...t.registers].map(([id, r]) => [id, new Map(r.entries.map((e) => [e.id, e]))])),
    });
  }
  return {
    // A fresh array each time: callers may sort or filter it without touching the shared one.
    services: (tenantId) => [...(tenants.get(tenantId)?.services ?? [])],
    service: (tenantId, id) => tenants.get(tenantId)?.byId.get(id),
    links: (tenantId) => [...(tenants.get(tenantId)?.links ?? [])],
    linkService: (tenantId, id) => tenants.get(tenantId)?.linkById.get(id),
    listed: (tenantId) => [...(tenants.get(tenantId)?.listed ?? [])],
    register: (tenantId, registerId) => {
      const r = tenants.get(tenantId)?.registers.get(registerId);
      return r ? [...r.entries] : undefined;
    },
    registerEntry: (tenantId, registerId, entryId) => tenants.get(tenantId)?.entries.get(registerId)?.get(entryId),
    registerInfo: (tenantId, registerId) => tenants.get(tenantId)?.registers.get(registerId),
    staffRoles: (tenantId) => {
      const roles = new Map<string, StaffRoleSpec>();
      for (const s of tenants.get(tenantId)?.services ?? []) for (const r of s.roles ?? []) if (!roles.has(r.id)) roles.set(r.id, r);
      return [...roles.values()];
    },
  };
}

/**
 * Reads, validates and checks every tenant's catalogue folder and returns the catalogue.
 * Throws CatalogueError listing every problem (`file: /json/path: reason`) when anything is wrong,
 * so start-up stops rather than serving a half-loaded catalogue.
 */
export function loadCatalogue(tenants: TenantRegistry | readonly Tenant[], opts: ReadOptions = {}): Catalogue {
  const { tenants: loaded, problems } = readCatalogue(tenants, opts);
  if (problems.length) throw new CatalogueError(problems);
  return catalogueOf(loaded);
}
