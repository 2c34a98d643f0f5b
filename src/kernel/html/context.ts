/** What every view needs to know about the request it renders for. */
import type { Locale, Translate } from '../i18n/index.ts';
import type { Tenant } from '../tenants.ts';

export interface ViewUser {
  kind: 'resident' | 'staff';
  name: string;
  /** What the person is here, named (a member of staff's roles: "Handläggare", "Administratör"); the header says it. */
  roles?: string[] | undefined;
}

export interface ViewContext {
  tenant: Tenant;
  locale: Locale;
  t: Translate;
  /** Path and query of the current request, for the language switch to return to. */
  path: string;
  csrfToken: string | undefined;
  user: ViewUser | undefined;
  demo: boolean;
  assets: { css: string; js: string; theme: string; icon: string; logo?: string | undefined; expressions?: string | undefined };
  /** Seconds of inactivity left before the session ends; drives the timeout warning. */
  sessionSecondsLeft: number | undefined;
}
