/**
 * `medborg seed demo`: both demo municipalities with staff, residents and sample pre-school cases
 * in every workflow state, made through the same module functions the web uses (so every case
 * has its journal, letters and e-mails). Idempotent: a tenant that already has demo staff is left alone.
 */
import type { Runtime } from '../runtime.ts';
import { tenantScope, type TenantScope } from '../kernel/db/index.ts';
import type { Tenant } from '../kernel/tenants.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { storeDefinitionVersions, type Catalogue } from '../catalogue/index.ts';
import { createStaffAccount } from '../identity/staff/index.ts';
import { recordSignIn } from '../identity/eid/residents-repository.ts';
import { loadDemoRegisterData, type DemoPerson } from '../integrations/population-register/index.ts';
import { resolveBlobStore, type BlobStore } from '../integrations/blob-store/index.ts';
import { actionOfKind, addressLines, caseActions, childSubject, createCase, ensureReferenceSequences, getCase, residentApplicant, runAction, type ActionInput, type Actor } from '../cases/index.ts';
import type { ActionKind } from '../catalogue/index.ts';
import { renderDecisionLetters, recordLetters } from '../documents/index.ts';
import { addMonths, stockholmToday } from '../forms/dates.ts';
import { prepareCompanions } from '../forms/index.tsx';
import { queueCompanion } from '../queues/index.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from './accounts.ts';
import { seedSeasonApplications } from './seed-seasons.ts';
import { seedAllocationRound } from './seed-rounds.ts';

type Plan = 'submitted' | 'in_progress' | 'awaiting_supplement' | 'offered' | 'rejected' | 'withdrawn';

/** Which resident's which child ends up in which state. Anna Andersson's Elsa is left for you to apply for. */
const PLANS: { tenant: string; parent: string; child: string; plan: Plan; locale: 'sv' | 'en' }[] = [
  { tenant: 'norrby', parent: '198502209862', child: '202104039835', plan: 'submitted', locale: 'sv' },
  { tenant: 'norrby', parent: '198502209862', child: '202302119868', plan: 'in_progress', locale: 'sv' },
  { tenant: 'norrby', parent: '199007029813', child: '202309159842', plan: 'awaiting_supplement', locale: 'en' },
  { tenant: 'norrby', parent: '198502209862', child: '202506309885', plan: 'offered', locale: 'sv' },
  { tenant: 'norrby', parent: '198803149825', child: '202401229816', plan: 'withdrawn', locale: 'sv' },
  { tenant: 'sodera', parent: '198708089837', child: '202212019901', plan: 'submitted', locale: 'sv' },
  { tenant: 'sodera', parent: '198708089837', child: '202503179851', plan: 'awaiting_supplement', locale: 'sv' },
  { tenant: 'sodera', parent: '199205059885', child: '202408199871', plan: 'rejected', locale: 'en' },
];

/** The roles given, and every role the municipality's services in these departments declare or hand work to. */
export function rolesOfDepartments(catalogue: Catalogue, tenantId: string, roles: readonly string[], departments: readonly string[]): string[] {
  const all = new Set(roles);
  for (const def of catalogue.services(tenantId)) {
    const here = departments.includes(def.department) || (def.routing ?? []).some((r) => r.department !== undefined && departments.includes(r.department));
    if (!here) continue;
    for (const r of def.roles ?? []) all.add(r.id);
    for (const r of [...(def.handling?.handle ?? []), ...(def.handling?.decide ?? [])]) all.add(r);
  }
  return [...all];
}

export interface SeedResult {
  tenantsSeeded: string[];
  tenantsSkipped: string[];
  cases: number;
}

/**
 * The address links in a tenant's e-mails start with, as the web builds them from the request
 * (scheme, the municipality's host, port): BASE_URL when its host is this municipality's, else
 * BASE_URL's scheme and port with the municipality's first host name.
 */
export function siteUrlOf(baseUrl: string, tenant: Pick<Tenant, 'hosts'>): string {
  const base = new URL(baseUrl);
  if (tenant.hosts.includes(base.hostname) || tenant.hosts.length === 0) return base.origin;
  return `${base.protocol}//${tenant.hosts[0]}${base.port ? `:${base.port}` : ''}`;
}

export async function seedDemo(rt: Pick<Runtime, 'config' | 'tenants' | 'db'> & { catalogue: Catalogue }, log: (line: string) => void, now = new Date()): Promise<SeedResult> {
  if (rt.config.env === 'production') throw new Error('seed demo is refused when MEDBORG_ENV is production');
  // The store the app is configured with (BLOB_STORE), so the letters are where the app reads them.
  const blobs = resolveBlobStore(rt.config);
  const people = loadDemoRegisterData();
  await ensureReferenceSequences(rt.db, rt.tenants.all.map((t) => t.id));
  // The definitions' versions first, as the app stores them at start: the database reads a case's
  // own version to know its final states (a decided application leaves its queues, ADR 0043).
  await storeDefinitionVersions(rt.db, rt.tenants.all, rt.catalogue);
  const result: SeedResult = { tenantsSeeded: [], tenantsSkipped: [], cases: 0 };
  for (const tenant of rt.tenants.all) {
    const tdb = tenantScope(rt.db, tenant.id);
    const { rows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_accounts WHERE tenant_id = $1');
    if (rows[0]!.n > 0) {
      result.tenantsSkipped.push(tenant.id);
      log(`${tenant.id}: has staff accounts already, not seeded`);
      continue;
    }
    const staff = new Map<string, { id: string; name: string }>();
    for (const s of DEMO_STAFF.filter((x) => x.tenant === tenant.id)) {
      const created = await createStaffAccount(tdb, {
        tenant,
        sessionSecret: rt.config.sessionSecret,
        username: s.username,
        displayName: s.displayName,
        email: `${s.username}@${tenant.id}.example`,
        roles: s.serviceRoles ? rolesOfDepartments(rt.catalogue, tenant.id, s.roles, s.departments) : s.roles,
        declaredRoles: rt.catalogue.staffRoles(tenant.id),
        departments: s.departments,
        password: DEMO_PASSWORD,
        totpSecret: s.totpSecret,
        now,
      });
      staff.set(s.username, { id: created.account.id, name: s.displayName });
    }
    log(`${tenant.id}: ${staff.size} staff accounts`);
    const def = rt.catalogue.service(tenant.id, 'forskola');
    const plans = PLANS.filter((p) => p.tenant === tenant.id);
    let done = 0;
    for (const plan of plans) {
      if (!def) break;
      await seedCase(tdb, tenant, def, rt.catalogue, blobs, people, plan, staff.get('hanna')!, siteUrlOf(rt.config.baseUrl, tenant), now);
      done++;
      log(`${tenant.id}: case ${done}/${plans.length} (${plan.plan})`);
    }
    const seasonal = await seedSeasonApplications(tdb, rt.catalogue, siteUrlOf(rt.config.baseUrl, tenant), now);
    if (seasonal) log(`${tenant.id}: ${seasonal} applications for seasonal times`);
    const choices = await seedAllocationRound(tdb, rt.catalogue, siteUrlOf(rt.config.baseUrl, tenant), staff.get('hanna')?.id, now);
    if (choices) log(`${tenant.id}: ${choices} school choices in a round ready to freeze`);
    result.cases += done + seasonal + choices;
    result.tenantsSeeded.push(tenant.id);
  }
  return result;
}

async function seedCase(
  tdb: TenantScope,
  tenant: Tenant,
  def: ServiceDefinition,
  catalogue: Catalogue,
  blobs: BlobStore,
  people: readonly DemoPerson[],
  plan: (typeof PLANS)[number],
  handler: { id: string; name: string },
  siteUrl: string,
  now: Date,
): Promise<void> {
  const parent = people.find((p) => p.personalNumber === plan.parent)!;
  const child = parent.children.find((c) => c.personalNumber === plan.child)!;
  const applicantId = await recordSignIn(tdb, { personalNumber: parent.personalNumber, givenName: parent.givenName, familyName: parent.familyName, locale: plan.locale }, now);
  const email = `${parent.givenName.toLowerCase()}@example.se`;
  await tdb.query('UPDATE residents SET email = $3, phone = $4 WHERE tenant_id = $1 AND id = $2', [applicantId, email, '070-123 45 67']);
  const preschools = (catalogue.register(tenant.id, 'preschools') ?? []).map((e) => e.id);
  const answers = {
    child: child.personalNumber,
    preschools: preschools.slice(0, 3),
    startDate: addMonths(stockholmToday(now), 5),
    careHours: 'from15to30',
    specialNeeds: 'no',
    email,
    phone: '070-123 45 67',
  };
  // The application joins its queues as a submission does (ADR 0043), from the demo register's addresses.
  const queue = queueCompanion({ catalogue, populationRegister: { lookup: async (_tenant, pin) => people.find((p) => p.personalNumber === pin) } });
  const created = await tdb.transaction(async (tx) => {
    const joins = await prepareCompanions([queue], tx, { definition: def, answers, homePersonalNumber: parent.personalNumber, now });
    return createCase(tx, {
      definition: def,
      parties: [residentApplicant({ id: applicantId, personalNumber: parent.personalNumber, name: `${parent.givenName} ${parent.familyName}` }), childSubject(child)],
      answers,
      locale: plan.locale,
      draftId: null,
      email,
      siteUrl,
      now,
      record: joins.record,
      alsoWrite: (made) => joins.writes(made),
    });
  });
  const notify = { email, siteUrl };
  const id = created.id;
  // Each step is the action of its kind the definition allows from where the case stands.
  const act = async (kind: ActionKind, actor: Actor, input: ActionInput = {}) => {
    const c = (await getCase(tdb, id))!;
    const action = actionOfKind(def, c.status, kind);
    if (!action) throw new Error(`${def.id} has no ${kind} action from ${c.status}`);
    await runAction(tdb, def, id, action, actor, input, notify, now);
  };
  const staff: Actor = { kind: 'staff', id: handler.id };
  if (plan.plan === 'submitted') return;
  if (plan.plan === 'withdrawn') {
    await act('withdraw', { kind: 'resident', id: applicantId });
    return;
  }
  await act('assign', staff, { assignee: { id: handler.id, name: handler.name } });
  if (plan.plan === 'in_progress') {
    await caseActions.note(tdb, id, handler.id, 'Kontrollera syskonförtur.', now);
    await caseActions.staffMessage(tdb, def, id, handler.id, 'Hej! Vi har börjat titta på er ansökan.', notify, now);
    return;
  }
  if (plan.plan === 'awaiting_supplement') {
    await act('requestSupplement', staff, { text: 'Skicka gärna ett intyg om arbetstid eller studier.' });
    return;
  }
  const c = (await getCase(tdb, id))!;
  const type = plan.plan === 'offered' ? 'offered' : 'rejected';
  const values: Record<string, string> = type === 'offered' ? { preschool: preschools[1]!, startDate: answers.startDate } : { reasons: 'Det finns ingen ledig plats på de önskade förskolorna; vi erbjuder plats när en blir ledig.' };
  const decision = { type, outcome: type === 'offered' ? ('approved' as const) : ('rejected' as const), values, decidedBy: handler.id, decidedAt: now.toISOString() };
  // Addressed from the (demo) population register, as letters decided on the web are.
  const ctx = { tenant, definition: def, register: (r: string) => catalogue.register(tenant.id, r), applicantName: parent.name, applicantAddress: addressLines(parent.address) };
  const letters = await renderDecisionLetters(tenant.id, blobs, c, ctx, decision, handler.name, now);
  await act('decide', staff, { decision, letters: letters.map((l) => ({ id: l.id, locale: l.locale, sha256: l.sha256 })), recordLetters: (tx) => recordLetters(tx, id, letters, now) });
}
