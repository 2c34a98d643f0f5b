/**
 * Applying for a person one legally represents (ADR 0033): a definition's `representation` names
 * the kinds it accepts (god man, förvaltare, power of attorney). A signed-in resident the
 * representation register lists as representing someone is asked first whom the application is
 * for — themselves, or each person they represent, by name. Only a representation that holds for
 * this service today can be chosen (the register's own list; the kind accepted, started, not
 * ended, and a power of attorney's scope covering the service or its area); the others are shown
 * with why. The choice becomes the draft's `actingFor`, and at submission, checked again, the
 * case's applicant with the resident as their representative (applicant.ts). A posted choice the
 * register does not back is refused with 403 and nothing is stored.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { AppError } from '../kernel/errors.ts';
import { formatDate, pick } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, ChoiceGroup, CsrfField, ErrorSummary, Heading, Paragraph, type FieldError } from '../kernel/html/components.tsx';
import type { Representation, RepresentationKind } from '../integrations/registers/index.ts';
import type { Applicant } from './applicant.ts';
import { stockholmToday } from './dates.ts';
import type { ActingForPerson } from './drafts.repository.ts';
import { residentApplying, type WhomForDeps } from './whom-for.ts';
import './journey-messages.ts';

/** The value of "myself" among the choices (a personal number is twelve digits, never this). */
export const FOR_SELF = 'self';

/** Why a representation the register lists cannot be used for this service today; undefined: it can. */
export type Unusable = 'kind' | 'notYetStarted' | 'ended' | 'outOfScope';

export function whyUnusable(r: Representation, def: ServiceDefinition, today: string): Unusable | undefined {
  if (!def.representation?.kinds.includes(r.kind)) return 'kind';
  if (r.from > today) return 'notYetStarted';
  if (r.until !== undefined && r.until < today) return 'ended';
  if (r.scope && !r.scope.includes(def.id) && !r.scope.includes(def.area ?? 'other')) return 'outOfScope';
  return undefined;
}

export interface Representations {
  usable: Representation[];
  unusable: { r: Representation; why: Unusable }[];
}

/** What the register says this resident may do for others on this service today (one entry per person, the first usable). */
export async function representationsFor(app: FastifyInstance, req: FastifyRequest, def: ServiceDefinition, personalNumber: string): Promise<Representations> {
  const today = stockholmToday(app.clock.now());
  const all = await app.registers.representation.representedBy(req.tenant.id, personalNumber);
  const usable: Representation[] = [];
  const unusable: Representations['unusable'] = [];
  for (const r of all) {
    const why = whyUnusable(r, def, today);
    if (!why) {
      if (!usable.some((u) => u.represented.personalNumber === r.represented.personalNumber)) usable.push(r);
    } else unusable.push({ r, why });
  }
  // A person one may act for by another representation is not listed as unusable too.
  return { usable, unusable: unusable.filter((u) => !usable.some((x) => x.represented.personalNumber === u.r.represented.personalNumber)) };
}

/**
 * Whether the register still backs acting for this person on this service today (checked again at
 * submission: an appointment may end, a power of attorney run out, while the draft waits).
 */
export async function stillRepresents(app: FastifyInstance, req: FastifyRequest, def: ServiceDefinition, personalNumber: string, actingFor: ActingForPerson): Promise<boolean> {
  const { usable } = await representationsFor(app, req, def, personalNumber);
  return usable.some((r) => r.represented.personalNumber === actingFor.personalNumber);
}

/** The draft's record of whom it is for. */
export function actingForPerson(r: Representation): ActingForPerson {
  return { personalNumber: r.represented.personalNumber, name: r.represented.name, capacity: r.kind };
}

/** How pages and letters name a capacity ("god man", "trustee (god man)"). */
export const capacityKey = (k: RepresentationKind) => `forms.representation.capacity.${k}`;

interface PageProps {
  ctx: ViewContext;
  definition: ServiceDefinition;
  reps: Representations;
  selected: string;
  errors: FieldError[];
}

function RepresentationPage(p: PageProps) {
  const { ctx, definition, reps } = p;
  const { t, locale } = ctx;
  const title = t('forms.representation.title');
  const fmt = (d: string) => formatDate(d, locale);
  return (
    <Layout ctx={ctx} title={`${p.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title} – ${pick(definition.title, locale)}`} section="services">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={p.errors} />
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      <form method="post" action={`/services/${definition.id}/on-behalf`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <ChoiceGroup
          id="f-for"
          name="for"
          legend={title}
          legendIsHeading
          hint={t('forms.representation.hint')}
          error={p.errors[0]?.message}
          options={[
            { value: FOR_SELF, label: t('forms.representation.self') },
            ...reps.usable.map((r) => ({
              value: r.represented.personalNumber,
              label: r.represented.name,
              hint: t(r.until ? 'forms.representation.asUntil' : 'forms.representation.as', { capacity: t(capacityKey(r.kind)), until: r.until ? fmt(r.until) : '' }),
            })),
          ]}
          selected={[p.selected]}
        />
        <Button>{t('forms.continue')}</Button>
      </form>
      {reps.unusable.length > 0 && (
        <>
          <Heading level={2} size="sm">
            {t('forms.representation.cannot')}
          </Heading>
          {reps.unusable.map(({ r, why }) => (
            <Paragraph>{t(`forms.representation.unusable.${why}`, { name: r.represented.name, capacity: t(capacityKey(r.kind)), from: fmt(r.from), until: r.until ? fmt(r.until) : '' })}</Paragraph>
          ))}
        </>
      )}
    </Layout>
  );
}

export async function representationRoutes(app: FastifyInstance, deps: WhomForDeps): Promise<void> {
  async function load(req: FastifyRequest, reply: FastifyReply) {
    // A service that takes no representatives asks nobody whom it is for.
    const loaded = await residentApplying(req, reply, deps, (def) => !!def.representation);
    if (!loaded) return undefined;
    return { ...loaded, reps: await representationsFor(app, req, loaded.c.definition, loaded.resident.personalNumber) };
  }

  app.get('/services/:serviceId/on-behalf', async (req, reply) => {
    const loaded = await load(req, reply);
    if (!loaded) return reply;
    await app.sessions.ensure(req, reply);
    return reply.page(<RepresentationPage ctx={req.viewContext()} definition={loaded.c.definition} reps={loaded.reps} selected="" errors={[]} />);
  });

  app.post('/services/:serviceId/on-behalf', async (req, reply) => {
    const loaded = await load(req, reply);
    if (!loaded) return reply;
    const { c, applicant, reps } = loaded;
    const chosen = (req.body as { for?: unknown } | undefined)?.for;
    const selected = typeof chosen === 'string' ? chosen : '';
    const again = (message: string, status: number) =>
      reply.page(<RepresentationPage ctx={req.viewContext()} definition={c.definition} reps={reps} selected={selected} errors={[{ field: 'f-for', message }]} />, status);
    if (!selected) return again(req.t('forms.representation.error.choose'), 400);
    if (selected === FOR_SELF) return reply.redirect(await deps.startDraft(req, c, applicant), 303);
    const r = reps.usable.find((u) => u.represented.personalNumber === selected);
    // Anyone the register does not list as represented by this resident for this service today —
    // an ended power of attorney, or a number typed into a forged post — is refused, nothing stored.
    if (!r) return again(req.t('forms.representation.error.notRepresented'), 403);
    return reply.redirect(await deps.startDraft(req, c, applicant, actingForPerson(r)), 303);
  });
}

/**
 * Whether the start of an application asks whom it is for: a definition with `representation`, a
 * resident the register lists as representing anyone. A register that cannot answer does not stop
 * someone applying for themselves: the start goes on without the question, and the log says why.
 */
export async function asksWhomFor(app: FastifyInstance, req: FastifyRequest, def: ServiceDefinition, applicant: Applicant): Promise<boolean> {
  if (!def.representation || !applicant.resident) return false;
  try {
    const reps = await representationsFor(app, req, def, applicant.resident.personalNumber);
    return reps.usable.length + reps.unusable.length > 0;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'REPRESENTATION_REGISTER_UNAVAILABLE')) throw err;
    req.log.warn({ reason: err.message }, 'representation register unavailable: the application starts as the resident\'s own');
    return false;
  }
}
