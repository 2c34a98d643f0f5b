/**
 * An application's places in its queues (ADR 0043): made with the case (the forms engine's case
 * companion), and remade when the applicant changes choices — under the case's lock, the queue date
 * and tie-break kept, journaled, the applicant told.
 */
import { randomInt } from 'node:crypto';
import type { Catalogue } from '../catalogue/index.ts';
import { entryName } from '../catalogue/entry-name.ts';
import type { PopulationRegister } from '../integrations/population-register/index.ts';
import type { GeoPosition, RankedChoiceField, RegisterEntry, ServiceDefinition } from '../catalogue/types.ts';
import { applicantNotify, caseMail, changeCase, type Case } from '../cases/index.ts';
import type { CaseCompanion } from '../forms/index.tsx';
import type { TenantQueryable, TenantScope } from '../kernel/db/index.ts';
import { stockholmToday } from '../forms/dates.ts';
import { formatDate, translate } from '../kernel/i18n/index.ts';
import { choicesOf, placesFor, WHOLE_SERVICE, type QueuePlace } from './order.ts';
import { joinStatement, placesOfCase, replacePlaces } from './queues.repository.ts';
import './messages.ts';

/** A service whose cases stand in queues. */
export type QueueService = ServiceDefinition & { queue: NonNullable<ServiceDefinition['queue']> };
export const queued = (def: ServiceDefinition | undefined): def is QueueService => !!def?.queue && def.engines.includes('queue');

/** The ranked-choice question whose answers are the queues, when the queue has choices. */
export function choicesField(def: QueueService): RankedChoiceField | undefined {
  if (def.queue.choices === undefined) return undefined;
  for (const step of def.form.steps) for (const f of step.fields) if (f.id === def.queue.choices && f.kind === 'rankedChoice') return f;
  return undefined;
}

/** The register the choices are entries of, when the queue has choices. */
export const choiceRegisterOf = (def: QueueService): string | undefined => choicesField(def)?.register;

/** What the queue engine reads besides the database: the registers of units, and where people live. */
export interface QueueDeps {
  catalogue: Pick<Catalogue, 'register'>;
  populationRegister: Pick<PopulationRegister, 'lookup'>;
}

/** A queue's name: its register entry's, or the service's own. */
export function queueName(app: QueueDeps, tenantId: string, def: QueueService, queue: string, locale: 'sv' | 'en'): string {
  if (queue === WHOLE_SERVICE) return (def.queue.label ?? def.title)[locale];
  const register = choiceRegisterOf(def);
  const entry = register ? app.catalogue.register(tenantId, register)?.find((e) => e.id === queue) : undefined;
  return entry ? entryName(entry, locale) : queue;
}

function entriesOf(app: QueueDeps, tenantId: string, def: QueueService): (id: string) => RegisterEntry | undefined {
  const register = choiceRegisterOf(def);
  const entries = new Map((register ? (app.catalogue.register(tenantId, register) ?? []) : []).map((e) => [e.id, e]));
  return (id) => entries.get(id);
}

/** Where home is, when the queue measures distance: the register's position of the person's address (a register fault is its 503). */
async function homeOf(app: QueueDeps, tenantId: string, def: QueueService, personalNumber: string | undefined): Promise<GeoPosition | undefined> {
  if (!personalNumber || !(def.queue.order ?? []).includes('distance')) return undefined;
  return (await app.populationRegister.lookup(tenantId, personalNumber))?.address.position;
}

/** A lottery tie-break: one number per application, drawn when it joins (53 bits: exact as a JavaScript number). */
const lotteryTie = () => randomInt(0, 2 ** 47) * 64 + randomInt(0, 64);

const journalPlaces = (places: readonly QueuePlace[]) => places.map((p) => ({ queue: p.queue, rank: p.rank, group: p.group, ...(p.distanceM !== null ? { distanceM: p.distanceM } : {}) }));

/** The forms engine's companion: a new case of a queue service joins its queues in the case's statement, its places in the submission's journal entry. */
export function queueCompanion(app: QueueDeps): CaseCompanion {
  return {
    async prepare(tq, { definition, answers, homePersonalNumber, now }) {
      if (!queued(definition)) return undefined;
      const queueDate = stockholmToday(now);
      const places = placesFor(definition, {
        answers,
        choices: choicesOf(definition.queue, answers),
        entries: entriesOf(app, tq.tenantId, definition),
        home: await homeOf(app, tq.tenantId, definition, homePersonalNumber),
        queueDate,
        today: queueDate,
      });
      if (!places.length) return undefined;
      const lottery = definition.queue.tieBreak === 'lottery' ? lotteryTie() : undefined;
      return {
        record: { queue: { date: queueDate, places: journalPlaces(places), ...(lottery !== undefined ? { lottery } : {}) } },
        // Arrival: the case's number from the tenant's sequence, the order cases came in (never a clock).
        writes: (made) => [joinStatement(definition.id, made.id, places, lottery ?? made.number, now)],
      };
    },
  };
}

export class NotQueuedError extends Error {
  constructor() {
    super('the application stands in no queue');
    this.name = 'NotQueuedError';
  }
}

/**
 * The applicant's new choices: under the case's lock the places are read again (gone: the case left
 * its queues meanwhile, NotQueuedError), replaced with the queue date and tie-break kept, journaled,
 * and the applicant e-mailed.
 */
export async function changeChoices(
  app: QueueDeps,
  tdb: TenantScope,
  def: QueueService,
  c: Case,
  input: { choices: readonly string[]; residentId: string; siteUrl: string; now: Date },
): Promise<{ queueDate: string }> {
  const applicantPin = c.parties.find((p) => p.role === 'applicant')?.personalNumber ?? undefined;
  // The register is asked before the transaction: no lock is held across another system's answer.
  const home = await homeOf(app, tdb.tenantId, def, applicantPin);
  const notify = await applicantNotify(tdb, def, c, input.siteUrl);
  const { result } = await changeCase(tdb, c.id, input.now, async (locked, tx: TenantQueryable) => {
    const before = await placesOfCase(tx, locked.id);
    if (!before.length) throw new NotQueuedError();
    const queueDate = before[0]!.queueDate;
    const places = placesFor(def, { answers: locked.answers, choices: input.choices, entries: entriesOf(app, tx.tenantId, def), home, queueDate, today: stockholmToday(input.now) });
    await replacePlaces(tx, def.id, locked.id, places, before[0]!.tie, input.now);
    const l = locked.locale;
    const names = input.choices.map((q, i) => `${i + 1}. ${queueName(app, tx.tenantId, def, q, l)}`).join('\n');
    const vars = { reference: locked.reference, choices: names, date: formatDate(queueDate, l), url: `${input.siteUrl}/my/cases/${locked.id}` };
    return {
      journal: [{ kind: 'queue_choices_changed', actorKind: 'resident', actorId: input.residentId, payload: { from: before.map((b) => b.queue), to: [...input.choices], queueDate, places: journalPlaces(places) } }],
      outbox: notify.email
        ? [{ kind: 'email', payload: caseMail(locked, def, l, { to: notify.email, subject: translate(l, 'queue.choices.mail.subject', vars), text: translate(l, 'queue.choices.mail.body', vars) }) }]
        : [],
      result: { queueDate },
    };
  });
  return result!;
}
