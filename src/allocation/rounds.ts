/**
 * Allocation rounds (ADR 0044): a service with `allocation:` places every application of a round at
 * once by deferred acceptance (`allocate`, ADR 0042).
 *
 * - **Freeze** (one transaction, under the round's row lock, only from `open`): every case in the
 *   definition's `from` states, in a stable order (their ids), with its choices and, per choice, the
 *   priority group (the first group whose condition holds over the answers and `$choice`, the chosen
 *   entry) and merit; the schools with their capacities; the groups' labels. That snapshot, its
 *   SHA-256 over canonical JSON and a fresh 256-bit seed are the first entry of the round's own
 *   journal chain (ADR 0045). Nothing is read from registers or answers again.
 * - **Preview**: `allocate` on the snapshot read back from the chain.
 * - **Publish** (one transaction, under the round's row lock, only from `frozen`): the result's hash
 *   appended to the round's chain; each case still in a `from` state moved to `placedState` or
 *   `notPlacedState` with an `allocation_result` journal entry holding its result and why, and its
 *   e-mail.
 * - **Verify** (`medborg allocate --round --verify`): the snapshot's hash, the rerun, the result's hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Catalogue } from '../catalogue/index.ts';
import { CHOICE_KEY, MAX_ALLOCATION_MERIT, type AllocationSpec, type RegisterEntry, type ServiceDefinition } from '../catalogue/index.ts';
import { appendToChain, canonicalJson, readChain, type JournalEntry } from '../archive/index.ts';
import { applicantNotify, caseMail, changeCaseIn } from '../cases/index.ts';
import { holds, toNumber, type Expression } from '../expressions/index.ts';
import type { Localised } from '../kernel/tenants.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { pick, translate, type Locale } from '../kernel/i18n/index.ts';
import { allocate, type AllocationResult, type ChildResult } from './engine.ts';
import { applicationsOf, lockRound, markFrozen, markPublished, type ApplicationRow, type Round, type RoundSummary } from './rounds.repository.ts';
import './round-messages.ts';

export type AllocatedService = ServiceDefinition & { allocation: AllocationSpec };
export const allocated = (def: ServiceDefinition | undefined): def is AllocatedService => !!def?.allocation && def.engines.includes('allocate');

/** The frozen inputs of a round: what the result is worked out from, and all it is worked out from. */
export interface Snapshot {
  v: 1;
  tenant: string;
  round: string;
  service: string;
  /** The priority groups in order, as the family reads them (everyone else: the engine's "other applicants"). */
  groups: { id: string; label: Localised }[];
  merit: { label: Localised } | null;
  schools: { id: string; name: string; capacity: number }[];
  children: { id: string; reference: string; choices: { school: string; group: number; merit?: number }[] }[];
}

export class RoundStateError extends Error {
  constructor(readonly wanted: 'open' | 'frozen') {
    super(`the round is not ${wanted}`);
    this.name = 'RoundStateError';
  }
}
export class NoApplicationsError extends Error {}

/** The schools of a service's rounds: the entries of its choices question's register. */
export function schoolsOf(catalogue: Catalogue, tenantId: string, def: AllocatedService): RegisterEntry[] {
  const field = def.form.steps.flatMap((s) => s.fields).find((f) => f.id === def.allocation.choices);
  return field && field.kind === 'rankedChoice' ? (catalogue.register(tenantId, field.register) ?? []) : [];
}

/** The chosen entry as `$choice` reads it. */
const choiceFacts = (e: RegisterEntry) => ({ id: e.id, name: e.name, area: e.area ?? null, address: e.address ?? null, capacity: e.capacity ?? 0 });

/** A merit answer as the engine ranks it: a number in tenths, within 0–409.5; anything else 0. */
function meritOf(v: unknown): number {
  const n = toNumber(v);
  if (n === null || !Number.isFinite(n)) return 0;
  return Math.min(MAX_ALLOCATION_MERIT, Math.max(0, Math.round(n * 10) / 10));
}

/**
 * The snapshot of a round from the applications and the register as they are (pure). Choices that
 * name no entry of the register now, or an entry twice, are left out.
 */
export function buildSnapshot(def: AllocatedService, entries: readonly RegisterEntry[], apps: readonly ApplicationRow[], ids: { tenant: string; round: string }, today: string): Snapshot {
  const spec = def.allocation;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const priorities = spec.priorities ?? [];
  return {
    v: 1,
    tenant: ids.tenant,
    round: ids.round,
    service: def.id,
    groups: priorities.map((p) => ({ id: p.id, label: p.label })),
    merit: spec.merit ? { label: spec.merit.label } : null,
    schools: entries.map((e) => ({ id: e.id, name: e.name, capacity: e.capacity ?? 0 })),
    children: [...apps]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((a) => {
        const wanted = a.answers[spec.choices];
        const seen = new Set<string>();
        const merit = spec.merit ? meritOf(a.answers[spec.merit.field]) : undefined;
        const choices = (Array.isArray(wanted) ? wanted : []).flatMap((id) => {
          const entry = typeof id === 'string' ? byId.get(id) : undefined;
          if (!entry || seen.has(entry.id)) return [];
          seen.add(entry.id);
          const data: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, a.answers);
          data[CHOICE_KEY] = choiceFacts(entry);
          const found = priorities.findIndex((p) => holds(p.when as Expression, data, { today }));
          const group = found < 0 ? priorities.length : found;
          return [merit === undefined ? { school: entry.id, group } : { school: entry.id, group, merit }];
        });
        return { id: a.id, reference: a.reference, choices };
      }),
  };
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
export const snapshotHash = (s: Snapshot) => sha256(canonicalJson(s));
export const resultHash = (r: AllocationResult) => sha256(canonicalJson(r));

/** The run over a snapshot and its seed. */
export function runSnapshot(s: Snapshot, seed: string): AllocationResult {
  return allocate({ schools: s.schools.map((x) => ({ id: x.id, capacity: x.capacity })), children: s.children, seed });
}

/** A new seed: 256 random bits, hex. */
export const newSeed = () => randomBytes(32).toString('hex');

export interface Frozen {
  snapshot: Snapshot;
  inputsHash: string;
  seed: string;
}

/** The round's frozen inputs, read back from its journal chain's first entry. */
export function frozenOf(chain: readonly JournalEntry[]): Frozen | undefined {
  const first = chain[0];
  if (!first || first.kind !== 'round_frozen') return undefined;
  const p = first.payload as { snapshot?: Snapshot; inputsHash?: string; seed?: string };
  return p.snapshot && p.inputsHash && p.seed ? { snapshot: p.snapshot, inputsHash: p.inputsHash, seed: p.seed } : undefined;
}

export async function readFrozen(q: TenantQueryable, roundId: string): Promise<Frozen | undefined> {
  return frozenOf(await readChain(q, roundId));
}

/** Freezes an open round (in the caller's transaction); a round no longer open throws RoundStateError. */
export async function freezeRound(
  tx: TenantQueryable,
  r: { roundId: string; def: AllocatedService; entries: readonly RegisterEntry[]; staffId: string; now: Date; today: string },
): Promise<Frozen> {
  const round = await lockRound(tx, r.roundId, 'open');
  if (!round) throw new RoundStateError('open');
  const apps = await applicationsOf(tx, r.def.id, r.def.allocation.from);
  if (!apps.length) throw new NoApplicationsError('no applications');
  const snapshot = buildSnapshot(r.def, r.entries, apps, { tenant: tx.tenantId, round: r.roundId }, r.today);
  const inputsHash = snapshotHash(snapshot);
  const seed = newSeed();
  await appendToChain(tx, 'allocation_round', r.roundId, [{ kind: 'round_frozen', actorKind: 'staff', actorId: r.staffId, payload: { snapshot, inputsHash, seed } }]);
  await markFrozen(tx, r.roundId, { staffId: r.staffId, now: r.now, inputsHash, seed, applications: snapshot.children.length });
  return { snapshot, inputsHash, seed };
}

/** A label as stored with a result: the group's, or null for everyone else. */
const groupLabel = (s: Snapshot, group: number): Localised | null => s.groups[group]?.label ?? null;

/** What a case's `allocation_result` journal entry holds: its place, and for each choice above it why not. */
export interface CaseResult {
  round: string;
  school: { id: string; name: string } | null;
  /** 1: first choice. */
  rank: number | null;
  /** As shown: 1 first. */
  lottery: number;
  merit: boolean;
  above: {
    school: { id: string; name: string };
    cutoff: { group: Localised | null; merit: number; lottery: number } | null;
    own: { group: Localised | null; merit: number; lottery: number };
  }[];
  whatNext: Localised | null;
}

export function caseResult(s: Snapshot, c: ChildResult, whatNext: Localised): CaseResult {
  const names = new Map(s.schools.map((x) => [x.id, x.name]));
  const school = (id: string) => ({ id, name: names.get(id) ?? id });
  return {
    round: s.round,
    school: c.school ? school(c.school) : null,
    rank: c.rank === null ? null : c.rank + 1,
    lottery: c.lottery + 1,
    merit: s.merit !== null,
    above: c.above.map((a) => ({
      school: school(a.school),
      cutoff: a.cutoff ? { group: groupLabel(s, a.cutoff.group), merit: a.cutoff.merit, lottery: a.cutoff.lottery + 1 } : null,
      own: { group: groupLabel(s, a.own.group), merit: a.own.merit, lottery: c.lottery + 1 },
    })),
    whatNext: c.school ? null : whatNext,
  };
}

function mailText(def: AllocatedService, r: CaseResult, l: Locale, url: string): string {
  const result = r.school ? translate(l, 'allocation.mail.placed', { school: r.school.name, rank: String(r.rank) }) : translate(l, 'allocation.mail.notPlaced');
  const next = r.whatNext ? `${pick(r.whatNext, l)}\n\n` : '';
  return translate(l, 'allocation.mail.body', { result, next, url });
}

/**
 * Publishes a frozen round (in the caller's transaction): its result's hash on the round's chain, and
 * every case still in a `from` state moved on with its result, why, and e-mail. A round no longer
 * frozen throws RoundStateError.
 */
export async function publishRound(
  tx: TenantQueryable,
  r: { roundId: string; def: AllocatedService; staffId: string; now: Date; siteUrl: string },
): Promise<{ round: Round; summary: RoundSummary; resultHash: string }> {
  const round = await lockRound(tx, r.roundId, 'frozen');
  if (!round) throw new RoundStateError('frozen');
  const frozen = await readFrozen(tx, r.roundId);
  if (!frozen || snapshotHash(frozen.snapshot) !== round.inputsHash || frozen.seed !== round.seed) throw new Error(`round ${r.roundId}: its frozen inputs do not match their hash`);
  const result = runSnapshot(frozen.snapshot, frozen.seed);
  const hash = resultHash(result);
  const placed = result.children.filter((c) => c.school !== null).length;
  const summary: RoundSummary = { applications: result.children.length, placed, notPlaced: result.children.length - placed, skipped: 0 };
  const spec = r.def.allocation;
  for (const child of result.children) {
    const payload = caseResult(frozen.snapshot, child, spec.whatNext);
    const moved = await changeCaseIn(tx, child.id, r.now, async (current) => {
      // A case withdrawn or moved on since the freeze keeps its state; its seat stays empty.
      if (!spec.from.includes(current.status)) return { journal: [], result: false };
      const to = child.school ? spec.placedState : spec.notPlacedState;
      const notify = await applicantNotify(tx, r.def, current, r.siteUrl);
      const l = current.locale;
      const outbox = notify.email
        ? [{ kind: 'email' as const, payload: caseMail(current, r.def, l, { to: notify.email, subject: translate(l, 'allocation.mail.subject', { reference: current.reference }), text: mailText(r.def, payload, l, `${notify.siteUrl}/my/cases/${current.id}`) }) }]
        : [];
      return {
        journal: [
          { kind: 'allocation_result', actorKind: 'staff', actorId: r.staffId, payload: { ...payload } },
          ...(current.status !== to ? [{ kind: 'status_changed' as const, actorKind: 'staff' as const, actorId: r.staffId, payload: { from: current.status, to } }] : []),
        ],
        ...(current.status !== to ? { patch: { status: to } } : {}),
        outbox,
        result: true,
      };
    });
    if (!moved.result) summary.skipped++;
  }
  await appendToChain(tx, 'allocation_round', r.roundId, [{ kind: 'round_published', actorKind: 'staff', actorId: r.staffId, payload: { resultHash: hash, summary } }]);
  await markPublished(tx, r.roundId, { staffId: r.staffId, now: r.now, resultHash: hash, summary });
  return { round, summary, resultHash: hash };
}

/** What `medborg allocate --verify` found. */
export interface RoundCheck {
  ok: boolean;
  lines: string[];
}

/**
 * Recomputes a round from its journal: the snapshot's hash against the one journaled with it (and the
 * round's row), the rerun's result hash against the published one.
 */
export async function verifyRound(q: TenantQueryable, round: Round): Promise<RoundCheck> {
  const lines: string[] = [];
  let ok = true;
  const fail = (line: string) => {
    ok = false;
    lines.push(`MISMATCH ${line}`);
  };
  const chain = await readChain(q, round.id);
  const frozen = frozenOf(chain);
  if (!frozen) {
    return { ok: false, lines: [`MISMATCH round ${round.id}: no frozen inputs in its journal chain (${round.status})`] };
  }
  const recomputed = snapshotHash(frozen.snapshot);
  lines.push(`inputs: ${frozen.snapshot.children.length} applications, ${frozen.snapshot.schools.length} choices, ${frozen.snapshot.groups.length} priority groups${frozen.snapshot.merit ? ' and merit' : ''}`);
  if (recomputed !== frozen.inputsHash) fail(`inputs hash: journaled ${frozen.inputsHash}, the snapshot hashes to ${recomputed}`);
  else lines.push(`inputs hash ${recomputed}: matches the journaled one`);
  if (round.inputsHash !== frozen.inputsHash) fail(`inputs hash: the round publishes ${round.inputsHash}, its journal ${frozen.inputsHash}`);
  if (round.seed !== frozen.seed) fail(`seed: the round publishes ${round.seed}, its journal ${frozen.seed}`);
  else lines.push(`seed ${frozen.seed}: matches the published one`);
  const rerun = runSnapshot(frozen.snapshot, frozen.seed);
  const hash = resultHash(rerun);
  const placed = rerun.children.filter((c) => c.school !== null).length;
  lines.push(`rerun: ${placed} placed, ${rerun.children.length - placed} placed nowhere, result hash ${hash}`);
  const published = chain.find((e) => e.kind === 'round_published');
  if (!published) {
    if (round.status === 'published') fail('the round is published, but its journal has no published result');
    else lines.push('not published yet: nothing to compare the result with');
  } else {
    const journaled = (published.payload as { resultHash?: string }).resultHash;
    if (journaled !== hash) fail(`result hash: published ${journaled}, the rerun gives ${hash}`);
    else lines.push('result hash: identical to the published one');
    if (round.resultHash !== journaled) fail(`result hash: the round publishes ${round.resultHash}, its journal ${journaled}`);
  }
  return { ok, lines };
}
