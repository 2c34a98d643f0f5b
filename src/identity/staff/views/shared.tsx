/** Small pieces the staff pages share: issues as translated field errors, role and department labels. */
import { Fragment } from 'preact';
import type { FieldError } from '../../../kernel/html/components.tsx';
import { Tag } from '../../../kernel/html/components.tsx';
import { pick, type Locale, type Translate } from '../../../kernel/i18n/index.ts';
import type { Tenant } from '../../../kernel/tenants.ts';
import type { Issue } from '../validation.ts';
import '../messages.ts';

/** Issues as the error summary lists them: translated, each linked to its field. */
export function toFieldErrors(t: Translate, issues: readonly Issue[]): FieldError[] {
  const seen = new Set<string>();
  return issues
    .map((i) => ({ field: i.field, message: t(i.key, i.vars) }))
    .filter((e) => {
      const key = `${e.field}\n${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The message(s) beside one field. */
export function errorFor(errors: readonly FieldError[], field: string): string | undefined {
  const own = errors.filter((e) => e.field === field).map((e) => e.message);
  return own.length ? own.join(' ') : undefined;
}

export function departmentName(tenant: Tenant, id: string, locale: Locale): string {
  const d = tenant.departments.find((x) => x.id === id);
  return d ? pick(d.name, locale) : id;
}

/** Roles as tags, each named by `name` (roles.ts roleNamer: built-in or declared by a service). */
export function RoleTags({ t, roles, name }: { t: Translate; roles: readonly string[]; name: (role: string) => string }) {
  if (roles.length === 0) return <>{t('staff.home.none')}</>;
  return (
    <>
      {roles.map((r, i) => (
        <Fragment key={r}>
          {i > 0 && ' '}
          <Tag color={r === 'admin' ? 'accent' : 'neutral'}>{name(r)}</Tag>
        </Fragment>
      ))}
    </>
  );
}

export function DepartmentList({ t, tenant, locale, departments }: { t: Translate; tenant: Tenant; locale: Locale; departments: readonly string[] }) {
  if (departments.length === 0) return <>{t('staff.home.none')}</>;
  return <>{departments.map((d) => departmentName(tenant, d, locale)).join(', ')}</>;
}
