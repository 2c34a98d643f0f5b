/**
 * The test e-ID provider's pages. They are tenantless (the provider is not a municipality's site),
 * so they have their own small accessible frame instead of the Layout: a language, a heading, a
 * main landmark, labelled controls, no inline script or style, and everything works without
 * JavaScript.
 */
import type { ComponentChildren } from 'preact';
import type { Locale, Translate } from '../../../kernel/i18n/index.ts';

export const TEST_IDP_CSS_PATH = '/test-idp/assets/test-idp.css';

function IdpFrame({ locale, t, title, children }: { locale: Locale; t: Translate; title: string; children: ComponentChildren }) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t('eid.testIdp.serviceName')}`}</title>
        <link rel="stylesheet" href={TEST_IDP_CSS_PATH} />
      </head>
      <body>
        {/* In the banner landmark: content outside every landmark is missed by people who move by landmarks. */}
        <header class="idp-banner">{t('eid.testIdp.serviceName')}</header>
        <main class="idp-main" id="main">
          {children}
        </main>
      </body>
    </html>
  );
}

export interface PersonChoice {
  sub: string;
  name: string;
  /** Already formatted for display (YYYYMMDD-NNNC), or undefined for a test person without one. */
  personalNumber: string | undefined;
  city: string;
}

export function LoginPage(p: {
  locale: Locale;
  t: Translate;
  clientName: string;
  action: string;
  abortAction: string;
  otherLanguageHref: string;
  people: PersonChoice[];
  error: boolean;
}) {
  const { t } = p;
  const title = t('eid.testIdp.loginTitle');
  const otherLang = p.locale === 'sv' ? 'en' : 'sv';
  return (
    <IdpFrame locale={p.locale} t={t} title={p.error ? `${t('eid.testIdp.errorSummary')}: ${title}` : title}>
      {p.error && (
        // These pages have no script: autofocus moves focus to the summary so it is announced.
        <div class="idp-error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
          <h2 id="error-summary-title">{t('eid.testIdp.errorSummary')}</h2>
          <ul>
            <li>
              <a href="#person">{t('eid.testIdp.errorChoose')}</a>
            </li>
          </ul>
        </div>
      )}
      <h1>{title}</h1>
      <p>{t('eid.testIdp.intro')}</p>
      <p>{t('eid.testIdp.requestedBy', { client: p.clientName })}</p>
      <form method="post" action={p.action} id="login-form">
        <input type="hidden" name="lang" value={p.locale} />
        <fieldset aria-describedby={p.error ? 'person-error' : undefined}>
          <legend>{t('eid.testIdp.choosePerson')}</legend>
          {p.error && (
            <p class="idp-error" id="person-error">
              {t('eid.testIdp.errorChoose')}
            </p>
          )}
          {p.people.map((person, i) => {
            const id = i === 0 ? 'person' : `person-${i}`;
            return (
              <div class="idp-choice" key={person.sub}>
                <input type="radio" id={id} name="person" value={person.sub} aria-describedby={`${id}-hint`} aria-invalid={p.error ? 'true' : undefined} />
                <label for={id}>{person.name}</label>
                <span class="idp-hint" id={`${id}-hint`}>
                  {person.personalNumber
                    ? t('eid.testIdp.personHint', { pin: person.personalNumber, city: person.city })
                    : t('eid.testIdp.personHintNoPin', { city: person.city })}
                </span>
              </div>
            );
          })}
        </fieldset>
      </form>
      <div class="idp-actions">
        <button type="submit" form="login-form" class="idp-primary">
          {t('eid.testIdp.signIn')}
        </button>
        <form method="post" action={p.abortAction} class="idp-inline">
          <button type="submit" class="idp-secondary">
            {t('eid.testIdp.cancel')}
          </button>
        </form>
      </div>
      <p class="idp-footer">
        <a href={p.otherLanguageHref} lang={otherLang} hrefLang={otherLang}>
          {t('eid.testIdp.otherLanguage')}
        </a>
      </p>
    </IdpFrame>
  );
}

export function LogoutPage(p: { locale: Locale; t: Translate; action: string; xsrf: string }) {
  const { t } = p;
  const title = t('eid.testIdp.logoutTitle');
  return (
    <IdpFrame locale={p.locale} t={t} title={title}>
      <h1>{title}</h1>
      <p>{t('eid.testIdp.logoutBody')}</p>
      <form method="post" action={p.action}>
        <input type="hidden" name="xsrf" value={p.xsrf} />
        <div class="idp-actions">
          <button type="submit" name="logout" value="yes" class="idp-primary">
            {t('eid.testIdp.logoutYes')}
          </button>
          <button type="submit" class="idp-secondary">
            {t('eid.testIdp.logoutNo')}
          </button>
        </div>
      </form>
    </IdpFrame>
  );
}

export function LoggedOutPage({ locale, t }: { locale: Locale; t: Translate }) {
  const title = t('eid.testIdp.loggedOutTitle');
  return (
    <IdpFrame locale={locale} t={t} title={title}>
      <h1>{title}</h1>
      <p>{t('eid.testIdp.loggedOutBody')}</p>
    </IdpFrame>
  );
}

export function IdpErrorPage({ locale, t, code }: { locale: Locale; t: Translate; code: string }) {
  const title = t('eid.testIdp.errorTitle');
  return (
    <IdpFrame locale={locale} t={t} title={title}>
      <h1>{title}</h1>
      <p>{t('eid.testIdp.errorBody')}</p>
      <p>{t('eid.testIdp.errorCode', { code })}</p>
    </IdpFrame>
  );
}
