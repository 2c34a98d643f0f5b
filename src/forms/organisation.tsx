/**
 * Applying for an organisation (audience `representative`, ADR 0015): after e-ID sign-in the
 * resident picks one of the organisations the business register lists them as signatory for, or
 * types another's number, which is checked — check digit, that it exists, that they may sign for
 * it. The organisation becomes the draft's `actingFor`, and at submission the applicant party with
 * the resident as its representative (policy/ lets the representative read and act).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { AppError } from '../kernel/errors.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, Button, ChoiceGroup, CsrfField, ErrorSummary, TextField, type FieldError } from '../kernel/html/components.tsx';
import { formatOrganisationNumber, parseOrganisationNumber, type Organisation } from '../integrations/registers/index.ts';
import type { Applicant } from './applicant.ts';
import { residentApplying, type WhomForDeps } from './whom-for.ts';

const OTHER = 'other';
const SELF = 'self';

/**
 * Whether the audience lets a person apply for themselves as well as for an organisation (ADR 0035):
 * then the first page asks which, "myself" among the organisations.
 */
export function alsoForSelf(def: Pick<ServiceDefinition, 'audience'>): boolean {
  return def.audience.includes('representative') && def.audience.some((a) => a !== 'representative');
}

/** Must this signed-in resident say first whom they apply for? Wherever the audience has representatives. */
export function needsOrganisation(def: ServiceDefinition, applicant: Applicant): boolean {
  return !!applicant.resident && def.audience.includes('representative');
}

interface PageProps {
  ctx: ViewContext;
  definition: ServiceDefinition;
  organisations: Organisation[];
  selected: string;
  typed: string;
  errors: FieldError[];
  unavailable?: boolean;
  /** The resident's name, under "myself" where they may apply for themselves. */
  selfName: string;
}

function OrganisationPage(p: PageProps) {
  const { ctx, definition } = p;
  const { t, locale } = ctx;
  const either = alsoForSelf(definition);
  const title = t(either ? 'forms.organisation.titleEither' : 'forms.organisation.title');
  const choiceError = p.errors.find((e) => e.field === 'f-organisation')?.message;
  const numberError = p.errors.find((e) => e.field === 'f-organisationNumber')?.message;
  return (
    <Layout ctx={ctx} title={`${p.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title} – ${pick(definition.title, locale)}`} section="services">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={p.errors} />
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      {p.unavailable ? (
        <>
          <h1 class="ds-heading" data-size="lg">
            {title}
          </h1>
          <Alert kind="warning">{t('forms.organisation.noRegister')}</Alert>
        </>
      ) : (
        <form method="post" action={`/services/${definition.id}/organisation`} novalidate>
          <CsrfField token={ctx.csrfToken} />
          <ChoiceGroup
            id="f-organisation"
            name="organisation"
            legend={title}
            legendIsHeading
            hint={t(either ? 'forms.organisation.hintEither' : p.organisations.length ? 'forms.organisation.hint' : 'forms.organisation.none')}
            error={choiceError}
            options={[
              ...(either ? [{ value: SELF, label: t('forms.organisation.self'), hint: p.selfName }] : []),
              ...p.organisations.map((o) => ({ value: o.organisationNumber, label: o.name, hint: formatOrganisationNumber(o.organisationNumber) })),
              { value: OTHER, label: t('forms.organisation.other') },
            ]}
            selected={[p.selected]}
          />
          <TextField
            id="f-organisationNumber"
            name="organisationNumber"
            label={t('forms.organisation.number')}
            hint={t('forms.organisation.numberHint')}
            value={p.typed}
            error={numberError}
            inputMode="numeric"
            maxLength={11}
            width="short"
          />
          <Button>{t('forms.continue')}</Button>
        </form>
      )}
    </Layout>
  );
}

export async function organisationRoutes(
  app: FastifyInstance,
  deps: WhomForDeps,
): Promise<void> {
  /** The organisations the register lists the resident as signatory for; undefined when the municipality has no business register. */
  async function representedBy(req: FastifyRequest, personalNumber: string): Promise<Organisation[] | undefined> {
    try {
      return await app.registers.business.representedBy(req.tenant.id, personalNumber);
    } catch (err) {
      if (err instanceof AppError && err.code === 'BUSINESS_REGISTER_UNAVAILABLE') return undefined;
      throw err;
    }
  }

  // A service not for representatives asks for no organisation: its application starts as usual.
  const load = (req: FastifyRequest, reply: FastifyReply) => residentApplying(req, reply, deps, (def) => def.audience.includes('representative'));

  app.get('/services/:serviceId/organisation', async (req, reply) => {
    const loaded = await load(req, reply);
    if (!loaded) return reply;
    await app.sessions.ensure(req, reply);
    const organisations = await representedBy(req, loaded.resident.personalNumber);
    const page = <OrganisationPage ctx={req.viewContext()} selfName={`${loaded.resident.givenName} ${loaded.resident.familyName}`} definition={loaded.c.definition} organisations={organisations ?? []} selected="" typed="" errors={[]} unavailable={!organisations} />;
    return reply.page(page, organisations ? 200 : 503);
  });

  app.post('/services/:serviceId/organisation', async (req, reply) => {
    const loaded = await load(req, reply);
    if (!loaded) return reply;
    const { c, applicant, resident } = loaded;
    const body = (req.body ?? {}) as { organisation?: unknown; organisationNumber?: unknown };
    const selected = typeof body.organisation === 'string' ? body.organisation : '';
    const typed = typeof body.organisationNumber === 'string' ? body.organisationNumber.trim() : '';
    const organisations = await representedBy(req, resident.personalNumber);
    const again = (errors: FieldError[], status = 400) =>
      reply.page(<OrganisationPage ctx={req.viewContext()} selfName={`${resident.givenName} ${resident.familyName}`} definition={c.definition} organisations={organisations ?? []} selected={selected} typed={typed} errors={errors} unavailable={!organisations} />, status);
    // For themselves, where the audience allows it: the application starts as the resident's own.
    if (selected === SELF && alsoForSelf(c.definition)) return reply.redirect(await deps.startDraft(req, c, applicant), 303);
    if (!organisations) return again([], 503);
    // A listed organisation is taken from the register's own list; another is checked here.
    const listed = organisations.find((o) => o.organisationNumber === selected);
    if (listed) return reply.redirect(await deps.startDraft(req, c, applicant, { organisationNumber: listed.organisationNumber, name: listed.name }), 303);
    if (selected !== OTHER && !typed) return again([{ field: 'f-organisation', message: req.t(alsoForSelf(c.definition) ? 'forms.organisation.error.chooseEither' : 'forms.organisation.error.choose') }]);
    const number = parseOrganisationNumber(typed);
    if (!number) return again([{ field: 'f-organisationNumber', message: req.t(typed ? 'forms.organisation.error.format' : 'forms.organisation.error.empty') }]);
    const [organisation, signatories] = await Promise.all([app.registers.business.organisation(req.tenant.id, number), app.registers.business.signatories(req.tenant.id, number)]);
    if (!organisation) return again([{ field: 'f-organisationNumber', message: req.t('forms.organisation.error.unknown', { number: formatOrganisationNumber(number) }) }]);
    if (!signatories.some((s) => s.personalNumber === resident.personalNumber)) {
      return again([{ field: 'f-organisationNumber', message: req.t('forms.organisation.error.notSignatory', { name: organisation.name }) }], 403);
    }
    return reply.redirect(await deps.startDraft(req, c, applicant, { organisationNumber: organisation.organisationNumber, name: organisation.name }), 303);
  });
}
