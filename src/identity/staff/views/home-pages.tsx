/** The staff home page and the change-password page. */
import type { VNode } from 'preact';
import type { ViewContext } from '../../../kernel/html/context.ts';
import { Layout } from '../../../kernel/html/layout.tsx';
import { Alert, Button, CsrfField, ErrorSummary, Heading, SummaryList, TextField, type FieldError } from '../../../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle } from '../../../kernel/html/notice.tsx';
import { canAdministerStaff, canReadAuditLog, staffPrincipal } from '../../../policy/index.ts';
import { PASSWORD_MIN_LENGTH } from '../secrets.ts';
import type { StaffMember } from '../types.ts';
import { roleNamer, type DeclaredRole } from '../roles.ts';
import { DepartmentList, errorFor, RoleTags } from './shared.tsx';

export const RECOVERY_CODES_LOW = 3;

export function StaffHomePage(p: { ctx: ViewContext; staff: StaffMember; recoveryCodesLeft: number; passwordChanged: boolean; sections: VNode[]; declared: readonly DeclaredRole[] }) {
  const { ctx, staff } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={noticeTitle(t('staff.home.title'), p.passwordChanged ? t('staff.password.changed') : undefined)} section="staff">
      <NoticeBanner notice={p.passwordChanged ? t('staff.password.changed') : undefined} />
      {p.recoveryCodesLeft <= RECOVERY_CODES_LOW && (
        <Alert kind="warning">
          <p>{t('staff.home.recoveryLow', { n: p.recoveryCodesLeft })}</p>
        </Alert>
      )}
      <Heading>{t('staff.home.welcome', { name: staff.displayName })}</Heading>
      {/* The work itself (the case inbox and what else other modules contribute) comes first. */}
      {p.sections}
      <section aria-labelledby="staff-account">
        <Heading level={2} size="sm">
          <span id="staff-account">{t('staff.home.account')}</span>
        </Heading>
        <SummaryList
          rows={[
            { key: t('staff.home.username'), value: staff.username },
            { key: t('staff.home.roles'), value: <RoleTags t={t} roles={staff.roles} name={roleNamer(t, ctx.locale, p.declared)} /> },
            { key: t('staff.home.departments'), value: <DepartmentList t={t} tenant={ctx.tenant} locale={ctx.locale} departments={staff.departments} /> },
            { key: t('staff.home.recoveryLeft'), value: String(p.recoveryCodesLeft) },
          ]}
        />
      </section>
      <section aria-labelledby="staff-shortcuts">
        <Heading level={2} size="sm">
          <span id="staff-shortcuts">{t('staff.home.shortcuts')}</span>
        </Heading>
        <ul class="ds-list">
          <li>
            <a class="ds-link" href="/staff/password">
              {t('staff.home.changePassword')}
            </a>
          </li>
          {canReadAuditLog(staffPrincipal(staff)) && (
            <li>
              <a class="ds-link" href="/staff/audit">
                {t('staff.home.audit')}
              </a>
            </li>
          )}
          {canAdministerStaff(staffPrincipal(staff)) && (
            <li>
              <a class="ds-link" href="/staff/admin/accounts">
                {t('staff.home.admin')}
              </a>
            </li>
          )}
        </ul>
      </section>
    </Layout>
  );
}

export function ChangePasswordPage({ ctx, mustChange, errors }: { ctx: ViewContext; mustChange: boolean; errors: FieldError[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.password.title')} section="staff" breadcrumbs={[{ href: '/staff', label: t('staff.breadcrumb') }]}>
      <ErrorSummary title={t('staff.error.summaryTitle')} errors={errors} />
      <Heading>{t('staff.password.title')}</Heading>
      {mustChange && (
        <Alert kind="info">
          <p>{t('staff.password.mustChange')}</p>
        </Alert>
      )}
      <form method="post" action="/staff/password" noValidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          id="currentPassword"
          name="currentPassword"
          type="password"
          label={t('staff.password.current')}
          error={errorFor(errors, 'currentPassword')}
          autocomplete="current-password"
          required
          width="medium"
        />
        <TextField
          id="newPassword"
          name="newPassword"
          type="password"
          label={t('staff.password.new')}
          hint={t('staff.password.newHint', { min: PASSWORD_MIN_LENGTH })}
          error={errorFor(errors, 'newPassword')}
          autocomplete="new-password"
          required
          width="medium"
        />
        <TextField
          id="confirmPassword"
          name="confirmPassword"
          type="password"
          label={t('staff.password.confirm')}
          error={errorFor(errors, 'confirmPassword')}
          autocomplete="new-password"
          required
          width="medium"
        />
        <div class="mb-actions">
          <Button>{t('staff.password.submit')}</Button>
        </div>
      </form>
    </Layout>
  );
}
