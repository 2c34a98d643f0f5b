/**
 * The demo's seasonal applications (ADR 0041): three associations' weekly times for the season of
 * `sasongstider` whose last day to apply has just passed, so a member of the leisure office (Klara,
 * Kalle) can open its schedule, see the proposal — two contested evenings, children's activities
 * first — and allocate it. Made as the web makes them: a case with the organisation as applicant and
 * its signatory as representative, and the times written for the season.
 */
import { randomUUID } from 'node:crypto';
import type { Catalogue } from '../catalogue/index.ts';
import type { Weekday } from '../catalogue/types.ts';
import { createCase } from '../cases/index.ts';
import { recordSignIn } from '../identity/eid/residents-repository.ts';
import type { TenantScope } from '../kernel/db/index.ts';
import { attachRequestsToCase, insertRequests, seasonal, staffSeasons } from '../booking/index.ts';
import { stockholmToday } from '../forms/dates.ts';

const SERVICE = 'sasongstider';

interface Application {
  organisation: { number: string; name: string };
  signatory: { personalNumber: string; givenName: string; familyName: string };
  sport: string;
  activityFor: 'youth' | 'adults' | 'other';
  times: { entry: string; weekday: Weekday; from: string; to: string }[];
}

const APPLICATIONS: Application[] = [
  {
    organisation: { number: '5566778899', name: 'Norrby Krog & Kök AB' },
    signatory: { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' },
    sport: 'Korpfotboll',
    activityFor: 'adults',
    times: [
      { entry: 'nby-norrbyhallen', weekday: 'tue', from: '18:00', to: '19:30' },
      { entry: 'nby-norrbyhallen', weekday: 'thu', from: '19:00', to: '20:30' },
    ],
  },
  {
    organisation: { number: '9696123455', name: 'Ek & Said Handelsbolag' },
    signatory: { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' },
    sport: 'Handboll, flickor 10–12 år',
    activityFor: 'youth',
    times: [
      { entry: 'nby-norrbyhallen', weekday: 'tue', from: '18:30', to: '20:00' },
      { entry: 'nby-ekbackshallen', weekday: 'sat', from: '10:00', to: '12:00' },
    ],
  },
  {
    organisation: { number: '8020123454', name: 'Norrby Idrottsförening' },
    signatory: { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' },
    sport: 'Innebandy, pojkar 8–10 år',
    activityFor: 'youth',
    times: [
      { entry: 'nby-centrumskolan-gympasal', weekday: 'mon', from: '17:00', to: '18:30' },
      { entry: 'nby-norrbyhallen', weekday: 'thu', from: '19:30', to: '21:00' },
    ],
  },
];

/** Seeds the applications in a tenant that offers the service and has a season to allocate; returns how many. */
export async function seedSeasonApplications(tdb: TenantScope, catalogue: Catalogue, siteUrl: string, now: Date): Promise<number> {
  const def = catalogue.service(tdb.tenantId, SERVICE);
  if (!def || !seasonal(def)) return 0;
  const today = stockholmToday(now);
  // The season whose applications have closed and that has not ended: the one staff allocate next.
  const closed = staffSeasons(def.booking.season, today).filter((s) => s.applyBy < today && s.to > today);
  const season = closed.find((s) => s.from > today) ?? closed[0];
  if (!season) return 0;
  const register = def.booking.resources;
  const order = def.booking.season.priority?.order ?? [];
  let made = 0;
  for (const [i, a] of APPLICATIONS.entries()) {
    const residentId = await recordSignIn(tdb, { personalNumber: a.signatory.personalNumber, givenName: a.signatory.givenName, familyName: a.signatory.familyName, locale: 'sv' }, now);
    const email = `${a.signatory.givenName.toLowerCase()}@example.se`;
    const organisation = randomUUID();
    const draftId = randomUUID();
    // Sent a day apart, the last day to apply the last one.
    const sentAt = new Date(now.getTime() - (APPLICATIONS.length - i + 1) * 86_400_000);
    await tdb.transaction(async (tx) => {
      await insertRequests(
        tx,
        {
          serviceId: def.id,
          seasonId: season.id,
          draftId,
          times: a.times.map((x) => ({ resource: `${register}/${x.entry}`, weekday: x.weekday, from: x.from, to: x.to })),
          priority: Math.max(0, order.indexOf(a.activityFor)),
          ownerId: residentId,
          customerType: 'association',
          organisationNumber: a.organisation.number,
        },
        sentAt,
      );
      const created = await createCase(tx, {
        definition: def,
        parties: [
          { id: organisation, role: 'applicant', kind: 'organisation', organisationNumber: a.organisation.number, name: a.organisation.name },
          { role: 'representative', kind: 'resident', residentId, personalNumber: a.signatory.personalNumber, name: `${a.signatory.givenName} ${a.signatory.familyName}`, actingFor: organisation },
        ],
        answers: { sport: a.sport, activityFor: a.activityFor, teams: 2, participants: 30, responsible: `${a.signatory.givenName} ${a.signatory.familyName}`, email, phone: '070-123 45 67' },
        locale: 'sv',
        draftId: null,
        email,
        siteUrl,
        now: sentAt,
      });
      await attachRequestsToCase(tx, draftId, created.id);
    });
    made++;
  }
  return made;
}
