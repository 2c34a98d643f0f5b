/**
 * The page frame every page shares: skip link, header with the municipality's name, main menu,
 * language switch, the main landmark, and the footer with accessibility statement and privacy notice.
 */
import type { ComponentChildren, VNode } from 'preact';
import { escapeHtml, renderFragment } from './render.ts';
import type { ViewContext } from './context.ts';
import type { Translate } from '../i18n/index.ts';
import { pick } from '../i18n/index.ts';
import type { Tenant } from '../tenants.ts';
import { SearchBox } from './search-box.tsx';

/**
 * The frame's parts that are the same for every page of a tenant in a language (the head's links,
 * the footer, the session warning's dialog, the header's search box) are rendered once and kept as HTML: they were a large
 * share of a form page's render (ADR 0019). Keyed by the translator (one per language) and the
 * tenant object (loaded once, never changed), then by what else the part reads (asset URLs), so
 * a test's other tenant or assets get their own entry and nothing of a person is ever kept.
 */
const staticParts = new WeakMap<Translate, WeakMap<Tenant, Map<string, string>>>();

function once(t: Translate, tenant: Tenant, key: string, render: () => VNode): string {
  let byTenant = staticParts.get(t);
  if (!byTenant) staticParts.set(t, (byTenant = new WeakMap()));
  let parts = byTenant.get(tenant);
  if (!parts) byTenant.set(tenant, (parts = new Map()));
  let html = parts.get(key);
  if (html === undefined) parts.set(key, (html = renderFragment(render())));
  return html;
}

export interface LayoutProps {
  ctx: ViewContext;
  title: string;
  children: ComponentChildren;
  /** Breadcrumb trail above the heading. */
  breadcrumbs?: { href: string; label: string }[];
  /** Which main-menu item is current. */
  section?: 'services' | 'cases' | 'staff';
  /** false: no search box in the header (a page with a search box of its own; staff pages have none). */
  search?: boolean;
}

/**
 * The dialog inside the session warning's template: the same on every page in a language (cached).
 * enhance.js opens it as a modal dialog (focus stays inside; Escape extends, as the main button
 * does) and fills in the sign-out form's address and CSRF token, which are the page's, not the cache's.
 */
function WarningDialog(t: Translate): VNode {
  return (
    <dialog class="ds-alert mb-session-warning" data-color="warning" role="alertdialog" aria-modal="true" aria-labelledby="mb-session-title" aria-describedby="mb-session-body">
      <h2 class="ds-heading" data-size="xs" id="mb-session-title">
        {t('layout.session.warningTitle')}
      </h2>
      <p id="mb-session-body">{t('layout.session.warningBody')}</p>
      <div class="mb-session-warning__actions">
        <button type="button" class="ds-button" data-variant="primary" data-action="extend">
          {t('layout.session.extend')}
        </button>
        <form method="post" class="mb-inline-form" data-action="sign-out">
          <input type="hidden" name="_csrf" value="" />
          <button type="submit" class="ds-button" data-variant="secondary">
            {t('layout.signOut')}
          </button>
        </form>
      </div>
    </dialog>
  );
}

/**
 * The session-timeout warning for enhance.js to show (WCAG 2.2.1), rendered here in the page's
 * language: a <template> is inert, so nothing of it is shown or read until the script clones it.
 * {time} in the body is filled in by the script from data-minute / data-minutes; data-ended and
 * data-failed are what it says when the session has ended or could not be extended; data-sign-out
 * is where the dialog's "Sign out" posts.
 */
function SessionWarningTemplate({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  const staff = ctx.user?.kind === 'staff' || ctx.path.startsWith('/staff');
  return (
    <template
      id="mb-session-warning"
      data-minute={t('layout.session.minute')}
      data-minutes={t('layout.session.minutes')}
      data-ended-title={t('layout.session.endedTitle')}
      data-ended={t('layout.session.ended')}
      data-failed={t('layout.session.extendFailed')}
      data-sign-in={staff ? '/staff/sign-in' : `/sign-in?back=${encodeURIComponent(ctx.path)}`}
      data-sign-out={staff ? '/staff/sign-out' : '/sign-out'}
      data-sign-in-text={t('layout.session.signInAgain')}
      dangerouslySetInnerHTML={{ __html: once(t, ctx.tenant, 'session-warning', () => WarningDialog(t)) }}
    />
  );
}

/** The head: its title, then the links and scripts, which are the same for every page (cached). */
function headOf(ctx: ViewContext, title: string): string {
  const { assets } = ctx;
  const key = `head ${assets.css} ${assets.theme} ${assets.icon} ${assets.expressions ?? ''} ${assets.js}`;
  const rest = once(ctx.t, ctx.tenant, key, () => (
    <>
      <link rel="stylesheet" href={assets.css} />
      <link rel="stylesheet" href={assets.theme} />
      <link rel="icon" href={assets.icon} type="image/svg+xml" />
      {/* The expression evaluator first: deferred scripts run in order, and enhance.js uses it. */}
      {assets.expressions && <script src={assets.expressions} defer />}
      <script src={assets.js} defer />
    </>
  ));
  return `<meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${escapeHtml(title)}</title>${rest}`;
}

/** The footer's content: the same on every page of a tenant in a language (cached). */
function footerOf(ctx: ViewContext, tenantName: string): string {
  const { t, tenant } = ctx;
  return once(t, tenant, 'footer', () => (
    <div class="mb-container">
      <h2 class="ds-sr-only">{t('layout.footer')}</h2>
      <ul class="mb-footer__links">
        <li>
          <a class="ds-link" href="/accessibility">{t('layout.accessibility')}</a>
        </li>
        <li>
          <a class="ds-link" href="/privacy">{t('layout.privacy')}</a>
        </li>
        <li>
          <a class="ds-link" href="/contact">{t('layout.contact')}</a>
        </li>
      </ul>
      <p>
        {tenantName} · {tenant.contact.address} · {tenant.contact.phone}
      </p>
      <p class="mb-footer__small">{t('layout.poweredBy')}</p>
    </div>
  ));
}

/** The staff link's text: the person's roles, two at most by name ("Handläggare och 6 roller till"). */
export function staffLinkText(roles: readonly string[] | undefined, t: Translate): string {
  if (!roles?.length) return t('layout.staff');
  if (roles.length <= 2) return roles.join(', ');
  return t('layout.rolesMore', { first: roles[0]!, count: String(roles.length - 1) });
}

function languageSwitchHref(ctx: ViewContext): string {
  const to = ctx.locale === 'sv' ? 'en' : 'sv';
  return `/language?to=${to}&back=${encodeURIComponent(ctx.path)}`;
}

export function Layout({ ctx, title, children, breadcrumbs, section, search = section !== 'staff' && !ctx.path.startsWith('/staff') }: LayoutProps) {
  const { t, tenant, locale } = ctx;
  const tenantName = pick(tenant.name, locale);
  const otherLang = locale === 'sv' ? 'en' : 'sv';
  return (
    <html lang={locale} data-color-scheme="light">
      <head dangerouslySetInnerHTML={{ __html: headOf(ctx, `${title} – ${tenantName}`) }} />
      <body
        class={section === 'staff' ? 'mb-wide' : undefined}
        data-session-left={ctx.sessionSecondsLeft !== undefined ? String(ctx.sessionSecondsLeft) : undefined}
        data-csrf={ctx.csrfToken}
      >
        <a class="ds-skip-link mb-skip" href="#main">
          {t('layout.skipToContent')}
        </a>
        {/* The demo banner is part of the page's banner landmark: content outside every landmark is missed by
            people who move by landmarks (axe best-practice "region"). */}
        <header class="mb-header">
          {ctx.demo && (
            <div class="mb-demo" role="note">
              {t(section === 'staff' ? 'layout.demoBannerStaff' : 'layout.demoBanner')}{' '}
              {/* What a tester needs next: the e-mail the platform sent, and the other side. */}
              <a href="/dev/mailbox">{t('layout.demoMailbox')}</a>
              {' · '}
              {section === 'staff' ? <a href="/">{t('layout.demoResident')}</a> : <a href="/staff">{t('layout.demoStaff')}</a>}
            </div>
          )}
          <div class="mb-container mb-header__row">
            <a class="mb-header__brand" href="/">
              {/* The name follows as text, so the logo is decoration to a screen reader. */}
              {ctx.assets.logo && <img class="mb-header__logo" src={ctx.assets.logo} alt="" width={28} height={32} />}
              {tenantName}
            </a>
            <nav aria-label={t('layout.mainNav')} class="mb-nav">
              <ul>
                <li>
                  <a href="/services" aria-current={section === 'services' ? 'page' : undefined}>
                    {t('layout.services')}
                  </a>
                </li>
                {ctx.user?.kind !== 'staff' && (
                  <li>
                    <a href="/my/cases" aria-current={section === 'cases' ? 'page' : undefined}>
                      {t('layout.myCases')}
                    </a>
                  </li>
                )}
                {ctx.user?.kind === 'staff' && (
                  <li>
                    {/* Named by what the person is here (their roles), not "case handler" for everyone; with
                        many roles the first and how many more, so the header stays a line (the home page lists them). */}
                    <a href="/staff" aria-current={section === 'staff' ? 'page' : undefined}>
                      {staffLinkText(ctx.user.roles, t)}
                    </a>
                  </li>
                )}
                <li>
                  {/* No aria-label: the accessible name must contain the visible text (WCAG 2.5.3), and
                      lang makes screen readers say "In English" / "På svenska" in that language. */}
                  <a href={languageSwitchHref(ctx)} lang={otherLang} hrefLang={otherLang}>
                    {t('layout.language')}
                  </a>
                </li>
                <li>
                  {ctx.user ? (
                    <form method="post" action={ctx.user.kind === 'staff' ? '/staff/sign-out' : '/sign-out'} class="mb-inline-form">
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <span class="mb-nav__user">{t('layout.signedInAs', { name: ctx.user.name })}</span>{' '}
                      <button type="submit" class="mb-linkbutton">
                        {t('layout.signOut')}
                      </button>
                    </form>
                  ) : (
                    <a href={`/sign-in?back=${encodeURIComponent(ctx.path)}`}>{t('layout.signIn')}</a>
                  )}
                </li>
              </ul>
            </nav>
          </div>
          {/* The header's search box is the same on every page of a tenant in a language (cached). */}
          {search && <div class="mb-container mb-header__search" dangerouslySetInnerHTML={{ __html: once(t, tenant, 'search-box', () => <SearchBox ctx={ctx} place="header" />) }} />}
        </header>
        <div class="mb-container">
          {breadcrumbs && breadcrumbs.length > 0 && (
            <nav aria-label={t('layout.breadcrumbs')} class="ds-breadcrumbs mb-breadcrumbs">
              <ol>
                {breadcrumbs.map((b) => (
                  <li key={b.href}>
                    <a href={b.href}>{b.label}</a>
                  </li>
                ))}
              </ol>
            </nav>
          )}
          <main id="main" tabIndex={-1} class="mb-main">
            {/* Without the script there is no warning before the session ends, so the limit is said up front (WCAG 2.2.1).
                What is left is within a minute below the whole-minute limit (the expiry moves at most once a minute). */}
            {ctx.sessionSecondsLeft !== undefined && (
              <noscript>
                <p class="mb-hint mb-session-notice">{t('layout.sessionNotice', { minutes: Math.ceil(ctx.sessionSecondsLeft / 60) })}</p>
              </noscript>
            )}
            {children}
          </main>
        </div>
        <footer class="mb-footer" dangerouslySetInnerHTML={{ __html: footerOf(ctx, tenantName) }} />
        {ctx.sessionSecondsLeft !== undefined && <SessionWarningTemplate ctx={ctx} />}
      </body>
    </html>
  );
}
