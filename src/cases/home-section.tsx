/**
 * The case handler's part of the staff home page: how much work waits in the departments'
 * inbox, each figure a link to the inbox filtered to exactly those cases.
 */
import type { FastifyRequest } from 'fastify';
import type { StaffHomeSection, StaffMember } from '../identity/staff/index.ts';
import type { ServiceDefinition } from '../catalogue/index.ts';
import { Heading } from '../kernel/html/components.tsx';
import { defineMessages } from '../kernel/i18n/index.ts';
import { inboxServices, staffPrincipal } from '../policy/index.ts';

defineMessages({
  'inbox.home.title': { sv: 'Ärenden', en: 'Cases' },
  'inbox.home.open': { sv: 'Öppna ärenden: {n}', en: 'Open cases: {n}' },
  'inbox.home.mine': { sv: 'Tilldelade dig: {n}', en: 'Assigned to you: {n}' },
  'inbox.home.unassigned': { sv: 'Ej tilldelade: {n}', en: 'Unassigned: {n}' },
  'inbox.home.overdue': { sv: 'Försenade: {n}', en: 'Overdue: {n}' },
});

interface Counts {
  open: number;
  mine: number;
  unassigned: number;
  overdue: number;
}

async function countOpenCases(req: FastifyRequest, staff: StaffMember, services: readonly ServiceDefinition[]): Promise<Counts> {
  const finals = new Set<string>();
  for (const s of services) for (const st of s.workflow.states) if (st.final) finals.add(st.id);
  // One pass over the departments' open cases; the FILTER clauses give all four figures at once.
  const { rows } = await req.tdb.query<Counts>(
    `SELECT count(*)::int AS open,
            count(*) FILTER (WHERE assignee_id = $4)::int AS mine,
            count(*) FILTER (WHERE assignee_id IS NULL)::int AS unassigned,
            count(*) FILTER (WHERE due_at < $5)::int AS overdue
       FROM cases
      WHERE tenant_id = $1 AND service_id = ANY($2::text[]) AND status <> ALL($3::text[]) AND department = ANY($6::text[])`,
    [services.map((s) => s.id), [...finals], staff.id, req.server.clock.now(), staff.departments],
  );
  return rows[0] ?? { open: 0, mine: 0, unassigned: 0, overdue: 0 };
}

export const inboxHomeSection: StaffHomeSection = async (req, staff) => {
  const services = inboxServices(staffPrincipal(staff), req.server.catalogue.services(req.tenant.id));
  if (services.length === 0) return null;
  const n = await countOpenCases(req, staff, services);
  const { t } = req;
  const items: [string, string][] = [
    ['/staff/cases', t('inbox.home.open', { n: n.open })],
    ['/staff/cases?assignee=me', t('inbox.home.mine', { n: n.mine })],
    ['/staff/cases?assignee=none', t('inbox.home.unassigned', { n: n.unassigned })],
    ['/staff/cases?overdue=1', t('inbox.home.overdue', { n: n.overdue })],
  ];
  return (
    <section aria-labelledby="staff-inbox">
      <Heading level={2} size="sm">
        <span id="staff-inbox">{t('inbox.home.title')}</span>
      </Heading>
      <ul class="ds-list">
        {items.map(([href, label]) => (
          <li key={href}>
            <a class="ds-link" href={href}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
};
