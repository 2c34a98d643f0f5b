/**
 * Staff administration on the web, for whom the policy lets administer staff (policy/
 * canAdministerStaff: the admin role): /staff/admin/accounts (list, by key),
 * /staff/admin/accounts/new (create), /staff/admin/accounts/:id (details, access, actions, history).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/ids.ts';
import {
  bindOidcIdentity,
  createAccount,
  getAccount,
  getOidcIdentity,
  resetPassword,
  resetTotp,
  setAccountDisabled,
  unbindOidcIdentity,
  updateAccount,
  type StaffContext,
} from './accounts.ts';
import { listField, queryParam, textField } from './form.ts';
import { listAccounts, listEvents } from './repository.ts';
import { requireStaffAdministrator } from './require-staff.ts';
import type { Actor, StaffAccount, StaffMember } from './types.ts';
import { StaffInputError, StaffNotFoundError, type Issue } from './validation.ts';
import {
  AccountCreatedPage,
  AccountListPage,
  AccountPage,
  DONE_MESSAGES,
  NewAccountPage,
  PasswordResetPage,
  type AccountFormValues,
  type DoneMessage,
} from './views/admin-pages.tsx';
import { toFieldErrors } from './views/shared.tsx';

const LIST = '/staff/admin/accounts';
const PAGE_SIZE = 25;
const HISTORY_SIZE = 50;

const actorOf = (admin: StaffMember): Actor => ({ id: admin.id, label: admin.username });

function pageKey(value: string | undefined): string | undefined {
  return value && value.length <= 63 ? value : undefined;
}

export function registerAdminRoutes(app: FastifyInstance, contextFor: (req: FastifyRequest) => StaffContext): void {
  async function accountParam(req: FastifyRequest): Promise<StaffAccount> {
    const id = (req.params as { id?: string }).id;
    if (!isUuid(id)) throw new AppError('NOT_FOUND');
    try {
      return await getAccount(contextFor(req), id);
    } catch (err) {
      if (err instanceof StaffNotFoundError) throw new AppError('NOT_FOUND');
      throw err;
    }
  }

  async function renderAccount(
    req: FastifyRequest,
    reply: FastifyReply,
    account: StaffAccount,
    admin: StaffMember,
    p: { values?: Omit<AccountFormValues, 'username'>; issues?: Issue[]; done?: DoneMessage; status?: number; subject?: string } = {},
  ) {
    const events = await listEvents(req.tdb, account.id, HISTORY_SIZE);
    const issuer = req.tenant.staffOidc?.issuer;
    const oidc = issuer ? { issuer, identity: await getOidcIdentity(contextFor(req), account.id) } : undefined;
    const values = p.values ?? { displayName: account.displayName, email: account.email, roles: account.roles, departments: account.departments };
    return reply.page(
      <AccountPage
        ctx={req.viewContext()}
        account={account}
        events={events}
        values={values}
        errors={toFieldErrors(req.t, p.issues ?? [])}
        done={p.done}
        now={app.clock.now()}
        own={account.id === admin.id}
        oidc={oidc}
        subject={p.subject}
        declared={contextFor(req).declaredRoles ?? []}
      />,
      p.status ?? 200,
    );
  }

  app.get(LIST, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const after = pageKey(queryParam(req.query, 'after'));
    const before = after ? undefined : pageKey(queryParam(req.query, 'before'));
    const page = await listAccounts(req.tdb, { after, before, limit: PAGE_SIZE });
    return reply.page(<AccountListPage ctx={req.viewContext()} accounts={page.accounts} prev={page.prev} next={page.next} now={app.clock.now()} declared={contextFor(req).declaredRoles ?? []} />);
  });

  app.get(`${LIST}/new`, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const values: AccountFormValues = { username: '', displayName: '', email: '', roles: ['handler'], departments: [] };
    return reply.page(<NewAccountPage ctx={req.viewContext()} values={values} errors={[]} declared={contextFor(req).declaredRoles ?? []} />);
  });

  app.post(LIST, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const values: AccountFormValues = {
      username: textField(req.body, 'username'),
      displayName: textField(req.body, 'displayName'),
      email: textField(req.body, 'email'),
      roles: listField(req.body, 'roles'),
      departments: listField(req.body, 'departments'),
    };
    try {
      const created = await createAccount(
        contextFor(req),
        { ...values, password: textField(req.body, 'password', true) || undefined, mustChangePassword: true },
        actorOf(admin),
      );
      return reply.page(<AccountCreatedPage ctx={req.viewContext()} account={created.account} password={created.generatedPassword} />);
    } catch (err) {
      if (!(err instanceof StaffInputError)) throw err;
      return reply.page(<NewAccountPage ctx={req.viewContext()} values={values} errors={toFieldErrors(req.t, err.issues)} declared={contextFor(req).declaredRoles ?? []} />, 400);
    }
  });

  app.get(`${LIST}/:id`, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const account = await accountParam(req);
    const done = queryParam(req.query, 'done');
    return renderAccount(req, reply, account, admin, { done: (DONE_MESSAGES as readonly string[]).includes(done ?? '') ? (done as DoneMessage) : undefined });
  });

  app.post(`${LIST}/:id`, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const account = await accountParam(req);
    // One's own page offers no role choices (nobody changes their own roles), so no roles sent
    // there means "unchanged"; roles sent anyway are passed on, and refused by updateAccount.
    const ownWithoutRoles = account.id === admin.id && (req.body as Record<string, unknown> | undefined)?.roles === undefined;
    const values = {
      displayName: textField(req.body, 'displayName'),
      email: textField(req.body, 'email'),
      roles: ownWithoutRoles ? account.roles : listField(req.body, 'roles'),
      departments: listField(req.body, 'departments'),
    };
    try {
      const changed = await updateAccount(contextFor(req), account.id, ownWithoutRoles ? { ...values, roles: undefined } : values, actorOf(admin));
      return reply.redirect(`${LIST}/${account.id}?done=${changed ? 'saved' : 'unchanged'}`, 303);
    } catch (err) {
      if (!(err instanceof StaffInputError)) throw err;
      return renderAccount(req, reply, account, admin, { values, issues: err.issues, status: 400 });
    }
  });

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`${LIST}/:id/${action}`, async (req, reply) => {
      const admin = await requireStaffAdministrator(req, reply);
      if (!admin) return reply;
      const account = await accountParam(req);
      try {
        await setAccountDisabled(contextFor(req), account.id, disabled, actorOf(admin));
      } catch (err) {
        if (!(err instanceof StaffInputError)) throw err;
        return renderAccount(req, reply, account, admin, { issues: err.issues, status: 400 });
      }
      return reply.redirect(`${LIST}/${account.id}?done=${disabled ? 'disabled' : 'enabled'}`, 303);
    });
  }

  app.post(`${LIST}/:id/reset-totp`, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const account = await accountParam(req);
    await resetTotp(contextFor(req), account.id, actorOf(admin));
    // Resetting one's own second factor ends one's own session too: start again at sign-in.
    if (account.id === admin.id) return reply.redirect('/staff/sign-in', 303);
    return reply.redirect(`${LIST}/${account.id}?done=totpReset`, 303);
  });

  app.post(`${LIST}/:id/bind-oidc`, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const account = await accountParam(req);
    const subject = textField(req.body, 'subject');
    try {
      await bindOidcIdentity(contextFor(req), account.id, subject, actorOf(admin));
    } catch (err) {
      if (!(err instanceof StaffInputError)) throw err;
      return renderAccount(req, reply, account, admin, { issues: err.issues, status: 400, subject: subject.slice(0, 255) });
    }
    return reply.redirect(`${LIST}/${account.id}?done=oidcBound`, 303);
  });

  app.post(`${LIST}/:id/unbind-oidc`, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const account = await accountParam(req);
    let unbound: boolean;
    try {
      unbound = await unbindOidcIdentity(contextFor(req), account.id, actorOf(admin));
    } catch (err) {
      if (!(err instanceof StaffInputError)) throw err;
      return renderAccount(req, reply, account, admin, { issues: err.issues, status: 400 });
    }
    // Unbinding one's own identity ends one's own session too: start again at sign-in.
    if (unbound && account.id === admin.id) return reply.redirect('/staff/sign-in', 303);
    return reply.redirect(`${LIST}/${account.id}?done=${unbound ? 'oidcUnbound' : 'unchanged'}`, 303);
  });

  app.post(`${LIST}/:id/reset-password`, async (req, reply) => {
    const admin = await requireStaffAdministrator(req, reply);
    if (!admin) return reply;
    const account = await accountParam(req);
    if (account.id === admin.id) {
      return renderAccount(req, reply, account, admin, { issues: [{ field: 'newPassword', key: 'staff.error.resetOwnPassword' }], status: 400 });
    }
    let generated: string | undefined;
    try {
      generated = await resetPassword(contextFor(req), account.id, textField(req.body, 'password', true) || undefined, actorOf(admin));
    } catch (err) {
      if (!(err instanceof StaffInputError)) throw err;
      const issues = err.issues.map((i) => ({ ...i, field: 'newPassword' }));
      return renderAccount(req, reply, account, admin, { issues, status: 400 });
    }
    if (generated) return reply.page(<PasswordResetPage ctx={req.viewContext()} account={account} password={generated} />);
    return reply.redirect(`${LIST}/${account.id}?done=passwordReset`, 303);
  });
}
