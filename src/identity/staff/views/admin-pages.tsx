/** Staff administration pages: the account list, creating an account, and one account's page. */
import type { ViewContext } from '../../../kernel/html/context.ts';
import { Layout } from '../../../kernel/html/layout.tsx';
import {
  Alert,
  Button,
  ButtonLink,
  ChoiceGroup,
  CsrfField,
  ErrorSummary,
  Heading,
  Paragraph,
  SummaryList,
  Tag,
  TextField,
  ValidationMessage,
  type FieldError,
} from '../../../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle } from '../../../kernel/html/notice.tsx';
import { formatDate, pick, type Translate } from '../../../kernel/i18n/index.ts';
import type { Tenant } from '../../../kernel/tenants.ts';
import { PASSWORD_MIN_LENGTH } from '../secrets.ts';
import { STAFF_ROLES, type StaffAccount, type StaffEvent, type StaffOidcIdentity } from '../types.ts';
import { roleNamer, type DeclaredRole } from '../roles.ts';
import { DepartmentList, departmentName, errorFor, RoleTags } from './shared.tsx';

const LIST = '/staff/admin/accounts';

function crumbs(t: Translate, extra: { href: string; label: string }[] = []) {
  return [{ href: '/staff', label: t('staff.breadcrumb') }, ...extra];
}

/**
 * Roles that work on cases (handler, or a role a service declares) see cases only in their
 * departments (policy/): such an account without a department sees none, which is worth a warning.
 */
export function lacksDepartment(account: Pick<StaffAccount, 'roles' | 'departments'>): boolean {
  return account.departments.length === 0 && account.roles.some((r) => r !== 'admin' && r !== 'security_officer');
}

/** Said where an account is created or shown, while it works on cases and has no department. */
function NoDepartmentWarning({ t, account }: { t: Translate; account: StaffAccount }) {
  if (!lacksDepartment(account)) return null;
  return (
    <Alert kind="warning" title={t('staff.admin.noDepartment.title', { name: account.displayName })}>
      <p>{t('staff.admin.noDepartment.body')}</p>
    </Alert>
  );
}

function StatusTags({ t, account, now }: { t: Translate; account: StaffAccount; now: Date }) {
  const tags: [string, 'success' | 'danger' | 'warning'][] = [];
  if (account.disabledAt) tags.push([t('staff.admin.status.disabled'), 'danger']);
  else tags.push([t('staff.admin.status.active'), 'success']);
  if (lacksDepartment(account)) tags.push([t('staff.admin.status.noDepartment'), 'warning']);
  if (account.lockedUntil && account.lockedUntil > now) tags.push([t('staff.admin.status.locked'), 'warning']);
  if (!account.totpEnrolledAt) tags.push([t('staff.admin.status.notEnrolled'), 'warning']);
  return (
    <>
      {tags.map(([label, color], i) => (
        <span key={label}>
          {i > 0 && ' '}
          <Tag color={color}>{label}</Tag>
        </span>
      ))}
    </>
  );
}

export function AccountListPage(p: { ctx: ViewContext; accounts: StaffAccount[]; prev?: string | undefined; next?: string | undefined; now: Date; declared: readonly DeclaredRole[] }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.admin.title')} section="staff" breadcrumbs={crumbs(t)}>
      <Heading>{t('staff.admin.title')}</Heading>
      <p>
        <ButtonLink href={`${LIST}/new`}>{t('staff.admin.create')}</ButtonLink>
      </p>
      {p.accounts.length === 0 ? (
        <Paragraph>{t('staff.admin.empty')}</Paragraph>
      ) : (
        <div class="mb-table-wrap" role="region" aria-label={t('staff.admin.caption', { tenant: pick(ctx.tenant.name, ctx.locale) })} tabIndex={0}>
          <table class="ds-table">
            <caption>{t('staff.admin.caption', { tenant: pick(ctx.tenant.name, ctx.locale) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staff.admin.col.name')}</th>
                <th scope="col">{t('staff.admin.col.username')}</th>
                <th scope="col">{t('staff.admin.col.roles')}</th>
                <th scope="col">{t('staff.admin.col.departments')}</th>
                <th scope="col">{t('staff.admin.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {p.accounts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <a class="ds-link" href={`${LIST}/${a.id}`}>
                      {a.displayName}
                    </a>
                  </th>
                  <td>{a.username}</td>
                  <td>
                    <RoleTags t={t} roles={a.roles} name={roleNamer(t, ctx.locale, p.declared)} />
                  </td>
                  <td>
                    <DepartmentList t={t} tenant={ctx.tenant} locale={ctx.locale} departments={a.departments} />
                  </td>
                  <td>
                    <StatusTags t={t} account={a} now={p.now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(p.prev || p.next) && (
        <nav aria-label={t('staff.admin.pages')} class="mb-actions">
          {p.prev && (
            <a class="ds-link" href={`${LIST}?before=${encodeURIComponent(p.prev)}`} rel="prev">
              {t('staff.admin.prev')}
            </a>
          )}
          {p.next && (
            <a class="ds-link" href={`${LIST}?after=${encodeURIComponent(p.next)}`} rel="next">
              {t('staff.admin.next')}
            </a>
          )}
        </nav>
      )}
    </Layout>
  );
}

export interface AccountFormValues {
  username: string;
  displayName: string;
  email: string;
  roles: string[];
  departments: string[];
}

/** The built-in roles, then those the tenant's services declare (the delegation to decide them). */
function roleOptions(t: Translate, locale: ViewContext['locale'], declared: readonly DeclaredRole[]) {
  const name = roleNamer(t, locale, declared);
  return [
    ...STAFF_ROLES.map((r) => ({ value: r, label: t(`staff.role.${r}`), hint: t(`staff.roleHint.${r}`) })),
    ...declared.map((r) => ({ value: r.id, label: name(r.id), hint: t('staff.roleHint.declared') })),
  ];
}

function departmentOptions(ctx: ViewContext) {
  return ctx.tenant.departments.map((d) => ({ value: d.id, label: pick(d.name, ctx.locale) }));
}

/**
 * One's own roles, shown but not offered for change: another administrator (or the command line)
 * changes them (accounts.ts updateAccount refuses it anyway).
 */
function OwnRoles({ t, roles, error, name }: { t: Translate; roles: readonly string[]; error: string | undefined; name: (role: string) => string }) {
  return (
    <div class="mb-field" id="roles" tabIndex={-1}>
      <p class="ds-label">{t('staff.field.roles')}</p>
      {error && <ValidationMessage id="roles-error">{error}</ValidationMessage>}
      <p>
        <RoleTags t={t} roles={roles} name={name} />
      </p>
      <p class="mb-hint">{t('staff.account.ownRoles')}</p>
    </div>
  );
}

function AccessFields({
  ctx,
  values,
  errors,
  ownRoles,
  declared,
}: {
  ctx: ViewContext;
  /** Roles the tenant's services declare, offered beside the built-in ones. */
  declared: readonly DeclaredRole[];
  values: Omit<AccountFormValues, 'username'>;
  errors: FieldError[];
  /** The administrator's own account: its current roles, shown instead of the role choices. */
  ownRoles?: readonly string[] | undefined;
}) {
  const { t } = ctx;
  return (
    <>
      <TextField
        id="displayName"
        name="displayName"
        label={t('staff.field.displayName')}
        value={values.displayName}
        error={errorFor(errors, 'displayName')}
        autocomplete="off"
        required
        maxLength={200}
      />
      <TextField
        id="email"
        name="email"
        type="email"
        label={t('staff.field.email')}
        value={values.email}
        error={errorFor(errors, 'email')}
        autocomplete="off"
        required
        maxLength={254}
      />
      {ownRoles ? (
        <OwnRoles t={t} roles={ownRoles} error={errorFor(errors, 'roles')} name={roleNamer(t, ctx.locale, declared)} />
      ) : (
        <ChoiceGroup
          id="roles"
          name="roles"
          legend={t('staff.field.roles')}
          options={roleOptions(t, ctx.locale, declared)}
          selected={values.roles}
          error={errorFor(errors, 'roles')}
          multiple
        />
      )}
      <ChoiceGroup
        id="departments"
        name="departments"
        legend={t('staff.field.departments')}
        hint={t('staff.field.departmentsHint')}
        options={departmentOptions(ctx)}
        selected={values.departments}
        error={errorFor(errors, 'departments')}
        multiple
      />
    </>
  );
}

export function NewAccountPage({ ctx, values, errors, declared }: { ctx: ViewContext; values: AccountFormValues; errors: FieldError[]; declared: readonly DeclaredRole[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.admin.new.title')} section="staff" breadcrumbs={crumbs(t, [{ href: LIST, label: t('staff.admin.title') }])}>
      <ErrorSummary title={t('staff.error.summaryTitle')} errors={errors} />
      <Heading>{t('staff.admin.new.title')}</Heading>
      <form method="post" action={LIST} noValidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          id="username"
          name="username"
          label={t('staff.field.username')}
          hint={t('staff.field.usernameHint')}
          value={values.username}
          error={errorFor(errors, 'username')}
          autocomplete="off"
          required
          width="medium"
          maxLength={63}
        />
        <AccessFields ctx={ctx} values={values} errors={errors} declared={declared} />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t('staff.field.initialPassword')}
          hint={t('staff.field.initialPasswordHint', { min: PASSWORD_MIN_LENGTH })}
          error={errorFor(errors, 'password')}
          autocomplete="new-password"
          width="medium"
        />
        <div class="mb-actions">
          <Button>{t('staff.admin.create')}</Button>
          <a class="ds-link" href={LIST}>
            {t('staff.admin.toList')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

function GeneratedPassword({ t, username, password }: { t: Translate; username: string; password: string }) {
  return (
    <Alert kind="warning" title={t('staff.admin.generatedPassword', { username })}>
      <p>
        <code data-testid="generated-password">{password}</code>
      </p>
      <p>{t('staff.admin.generatedPasswordNote')}</p>
    </Alert>
  );
}

export function AccountCreatedPage({ ctx, account, password }: { ctx: ViewContext; account: StaffAccount; password: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.admin.created.title')} section="staff" breadcrumbs={crumbs(t, [{ href: LIST, label: t('staff.admin.title') }])}>
      <Heading>{t('staff.admin.created.title')}</Heading>
      <NoDepartmentWarning t={t} account={account} />
      {password && <GeneratedPassword t={t} username={account.username} password={password} />}
      <Paragraph>{t('staff.admin.created.body', { name: account.displayName })}</Paragraph>
      <div class="mb-actions">
        <ButtonLink href={`${LIST}/${account.id}`}>{t('staff.admin.toAccount')}</ButtonLink>
        <a class="ds-link" href={LIST}>
          {t('staff.admin.toList')}
        </a>
      </div>
    </Layout>
  );
}

export function PasswordResetPage({ ctx, account, password }: { ctx: ViewContext; account: StaffAccount; password: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.account.resetPassword')} section="staff" breadcrumbs={crumbs(t, [{ href: LIST, label: t('staff.admin.title') }])}>
      <Heading>{t('staff.done.passwordReset')}</Heading>
      <GeneratedPassword t={t} username={account.username} password={password} />
      <div class="mb-actions">
        <ButtonLink href={`${LIST}/${account.id}`}>{t('staff.admin.toAccount')}</ButtonLink>
      </div>
    </Layout>
  );
}

export const DONE_MESSAGES = ['saved', 'unchanged', 'disabled', 'enabled', 'totpReset', 'passwordReset', 'oidcBound', 'oidcUnbound'] as const;
export type DoneMessage = (typeof DONE_MESSAGES)[number];

/** One history entry in words, with what changed (roles, departments…) from what to what. */
export function describeEvent(t: Translate, tenant: Tenant, locale: ViewContext['locale'], e: StaffEvent, roleName: (role: string) => string): string {
  const detail = (k: string) => String(e.details[k] ?? '');
  const base = t(`staff.event.${e.action}`, { left: detail('left'), subject: detail('subject'), issuer: detail('issuer') });
  if (e.action !== 'updated') return base;
  const show = (field: string, v: unknown): string => {
    if (!Array.isArray(v)) return String(v ?? '');
    if (v.length === 0) return t('staff.home.none');
    if (field === 'roles') return v.map((r) => roleName(String(r))).join(', ');
    if (field === 'departments') return v.map((d) => departmentName(tenant, String(d), locale)).join(', ');
    return v.join(', ');
  };
  const changes = Object.entries(e.details).map(([field, change]) => {
    const c = change as { from?: unknown; to?: unknown };
    return t('staff.event.change', { field: t(`staff.field.${field}`), from: show(field, c.from), to: show(field, c.to) });
  });
  return [base, ...changes].join('. ');
}

export function AccountPage(p: {
  ctx: ViewContext;
  account: StaffAccount;
  events: StaffEvent[];
  values: Omit<AccountFormValues, 'username'>;
  errors: FieldError[];
  done?: DoneMessage | undefined;
  now: Date;
  /** The account is the signed-in administrator's own. */
  own: boolean;
  /** The subject typed into the binding form, after a refusal. */
  subject?: string | undefined;
  /** The tenant's own identity provider (tenants.yaml staffOidc) and this account's identity there; undefined when the tenant has none. */
  oidc: { issuer: string; identity: StaffOidcIdentity | undefined } | undefined;
  declared: readonly DeclaredRole[];
}) {
  const { ctx, account: a } = p;
  const { t, locale } = ctx;
  const base = `${LIST}/${a.id}`;
  const oidc = p.oidc;
  return (
    <Layout ctx={ctx} title={noticeTitle(a.displayName, p.done ? t(`staff.done.${p.done}`) : undefined)} section="staff" breadcrumbs={crumbs(t, [{ href: LIST, label: t('staff.admin.title') }])}>
      <ErrorSummary title={t('staff.error.summaryTitle')} errors={p.errors} />
      <NoticeBanner notice={p.done ? t(`staff.done.${p.done}`) : undefined} />
      <Heading>{a.displayName}</Heading>
      <NoDepartmentWarning t={t} account={a} />
      <SummaryList
        rows={[
          { key: t('staff.field.username'), value: a.username },
          { key: t('staff.account.status'), value: <StatusTags t={t} account={a} now={p.now} /> },
          {
            key: t('staff.account.totp'),
            value: a.totpEnrolledAt ? t('staff.account.totpOn', { date: formatDate(a.totpEnrolledAt, locale) }) : t('staff.account.totpOff'),
          },
          ...(oidc
            ? [{ key: t('staff.account.oidc'), value: oidc.identity ? t('staff.account.oidcBound', { subject: oidc.identity.subject }) : t('staff.account.oidcUnbound') }]
            : []),
          { key: t('staff.account.lastSignIn'), value: a.lastSignInAt ? formatDate(a.lastSignInAt, locale, true) : t('staff.account.never') },
          { key: t('staff.account.created'), value: formatDate(a.createdAt, locale) },
        ]}
      />

      <section aria-labelledby="account-details">
        <Heading level={2} size="md">
          <span id="account-details">{t('staff.account.details')}</span>
        </Heading>
        <form method="post" action={base} noValidate>
          <CsrfField token={ctx.csrfToken} />
          <AccessFields ctx={ctx} values={p.values} errors={p.errors} ownRoles={p.own ? a.roles : undefined} declared={p.declared} />
          <div class="mb-actions">
            <Button>{t('staff.account.save')}</Button>
          </div>
        </form>
      </section>

      <section aria-labelledby="account-actions">
        <Heading level={2} size="md">
          <span id="account-actions" tabIndex={-1}>
            {t('staff.account.actions')}
          </span>
        </Heading>
        {errorFor(p.errors, 'account-actions') && (
          <Alert kind="danger">
            <p>{errorFor(p.errors, 'account-actions')}</p>
          </Alert>
        )}
        <form method="post" action={`${base}/${a.disabledAt ? 'enable' : 'disable'}`}>
          <CsrfField token={ctx.csrfToken} />
          <Heading level={3} size="xs">
            {a.disabledAt ? t('staff.account.enable') : t('staff.account.disable')}
          </Heading>
          <Paragraph>{a.disabledAt ? t('staff.account.enableHint') : t('staff.account.disableHint')}</Paragraph>
          <Button variant="secondary">{a.disabledAt ? t('staff.account.enable') : t('staff.account.disable')}</Button>
        </form>
        <form method="post" action={`${base}/reset-totp`}>
          <CsrfField token={ctx.csrfToken} />
          <Heading level={3} size="xs">
            {t('staff.account.resetTotp')}
          </Heading>
          <Paragraph>{t('staff.account.resetTotpHint')}</Paragraph>
          <Button variant="secondary">{t('staff.account.resetTotp')}</Button>
        </form>
        <form method="post" action={`${base}/reset-password`} noValidate>
          <CsrfField token={ctx.csrfToken} />
          <Heading level={3} size="xs">
            {t('staff.account.resetPassword')}
          </Heading>
          <Paragraph>{t('staff.account.resetPasswordHint')}</Paragraph>
          <TextField
            id="newPassword"
            name="password"
            type="password"
            label={t('staff.account.resetPasswordField')}
            hint={t('staff.account.resetPasswordFieldHint', { min: PASSWORD_MIN_LENGTH })}
            error={errorFor(p.errors, 'newPassword')}
            autocomplete="new-password"
            width="medium"
          />
          <Button variant="secondary">{t('staff.account.resetPassword')}</Button>
        </form>
        {oidc &&
          (oidc.identity ? (
            <form method="post" action={`${base}/unbind-oidc`}>
              <CsrfField token={ctx.csrfToken} />
              <Heading level={3} size="xs">
                {t('staff.account.oidcUnbind')}
              </Heading>
              <Paragraph>{t('staff.account.oidcUnbindHint')}</Paragraph>
              <Button variant="secondary">{t('staff.account.oidcUnbind')}</Button>
            </form>
          ) : (
            <form method="post" action={`${base}/bind-oidc`} noValidate>
              <CsrfField token={ctx.csrfToken} />
              <Heading level={3} size="xs">
                {t('staff.account.oidcBind')}
              </Heading>
              <Paragraph>{t('staff.account.oidcBindHint', { issuer: oidc.issuer })}</Paragraph>
              <TextField
                id="oidcSubject"
                name="subject"
                label={t('staff.account.oidcSubject')}
                hint={t('staff.account.oidcSubjectHint')}
                error={errorFor(p.errors, 'oidcSubject')}
                value={p.subject}
                autocomplete="off"
                maxLength={255}
              />
              <Button variant="secondary">{t('staff.account.oidcBind')}</Button>
            </form>
          ))}
      </section>

      <section aria-labelledby="account-history">
        <Heading level={2} size="md">
          <span id="account-history">{t('staff.account.history')}</span>
        </Heading>
        {p.events.length === 0 ? (
          <Paragraph>{t('staff.account.noHistory')}</Paragraph>
        ) : (
          <div class="mb-table-wrap" role="region" aria-label={t('staff.account.historyCaption')} tabIndex={0}>
            <table class="ds-table">
              <caption>{t('staff.account.historyCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('staff.account.col.when')}</th>
                  <th scope="col">{t('staff.account.col.who')}</th>
                  <th scope="col">{t('staff.account.col.what')}</th>
                </tr>
              </thead>
              <tbody>
                {p.events.map((e) => (
                  <tr key={e.id}>
                    <td>{formatDate(e.createdAt, locale, true)}</td>
                    <td>{e.actor === 'system' ? t('staff.event.actorSystem') : e.actor}</td>
                    <td>{describeEvent(t, ctx.tenant, locale, e, roleNamer(t, locale, p.declared))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
