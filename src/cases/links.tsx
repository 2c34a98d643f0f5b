/**
 * Links between cases (ADR 0020): a submission whose answers refer to an earlier case (a change of
 * hours and the placement it changes) links the two both ways, in the submission's own statement,
 * so neither exists without the other. Both case pages — the resident's and the handler's — and the
 * receipt show the link; the linked case's own route still decides who may open it.
 */
import type { FastifyRequest } from 'fastify';
import { Heading, SummaryList } from '../kernel/html/components.tsx';
import { defineMessages, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import type { CaseExtension } from './extensions.ts';
import type { Case } from './cases.repository.ts';

defineMessages({
  'cases.links.title': { sv: 'Kopplade ärenden', en: 'Linked cases' },
  'cases.links.refersTo': { sv: 'Det här ärendet gäller', en: 'This case is about' },
  'cases.links.referredBy': { sv: 'Ärende som gäller det här', en: 'A case about this one' },
});

/** An earlier case a new case refers to, and the answer that names it. */
export interface CaseLinkInput {
  caseId: string;
  fieldId: string;
}

/** Both directions of each link, as statements of the submission that makes them. */
export function linkStatements(newCaseId: string, links: readonly CaseLinkInput[], now: Date): Statement[] {
  return links.flatMap((l) => [
    { sql: 'INSERT INTO case_links (tenant_id, case_id, linked_case_id, field_id, made_here, created_at) VALUES ($1, $2, $3, $4, true, $5)', params: [newCaseId, l.caseId, l.fieldId, now] },
    { sql: 'INSERT INTO case_links (tenant_id, case_id, linked_case_id, field_id, made_here, created_at) VALUES ($1, $2, $3, $4, false, $5)', params: [l.caseId, newCaseId, l.fieldId, now] },
  ]);
}

export interface CaseLink {
  caseId: string;
  reference: string;
  serviceId: string;
  /** This case's answer names the other (true), or the other's names this one (false). */
  madeHere: boolean;
}

export async function linksOfCase(q: TenantQueryable, caseId: string): Promise<CaseLink[]> {
  const { rows } = await q.query<{ linked_case_id: string; reference: string; service_id: string; made_here: boolean }>(
    `SELECT l.linked_case_id, c.reference, c.service_id, l.made_here
       FROM case_links l JOIN cases c ON c.tenant_id = l.tenant_id AND c.id = l.linked_case_id
      WHERE l.tenant_id = $1 AND l.case_id = $2
      ORDER BY l.created_at, c.reference`,
    [caseId],
  );
  return rows.map((r) => ({ caseId: r.linked_case_id, reference: r.reference, serviceId: r.service_id, madeHere: r.made_here }));
}

function rowsOf(req: FastifyRequest, links: CaseLink[], locale: Locale) {
  return links.map((l) => {
    const title = req.server.catalogue.service(req.tenant.id, l.serviceId)?.title;
    return { key: translate(locale, l.madeHere ? 'cases.links.refersTo' : 'cases.links.referredBy'), reference: l.reference, service: title ? pick(title, locale) : l.serviceId, caseId: l.caseId };
  });
}

function LinksSection({ req, c, links, base }: { req: FastifyRequest; c: Case; links: CaseLink[]; base: string }) {
  const ctx = req.viewContext();
  const headingId = `links-${c.id}-h`;
  return (
    <section class="mb-panel" aria-labelledby={headingId}>
      <Heading level={2} size="sm">
        <span id={headingId}>{ctx.t('cases.links.title')}</span>
      </Heading>
      <SummaryList
        rows={rowsOf(req, links, ctx.locale).map((r) => ({
          key: r.key,
          value: (
            <>
              <a href={`${base}/${r.caseId}`}>{r.reference}</a>, {r.service}
            </>
          ),
        }))}
      />
    </section>
  );
}

export const caseLinksExtension: CaseExtension = {
  async residentSection(req, c) {
    const links = await linksOfCase(req.tdb, c.id);
    return links.length ? <LinksSection req={req} c={c} links={links} base="/my/cases" /> : null;
  },
  async staffSection(req, c) {
    const links = await linksOfCase(req.tdb, c.id);
    return links.length ? <LinksSection req={req} c={c} links={links} base="/staff/cases" /> : null;
  },
  async receiptSections(req, c, locale) {
    const links = await linksOfCase(req.tdb, c.id);
    if (!links.length) return [];
    return [{ heading: translate(locale, 'cases.links.title'), rows: rowsOf(req, links, locale).map((r): [string, string] => [r.key, `${r.reference}, ${r.service}`]) }];
  },
};
