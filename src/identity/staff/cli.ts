/**
 * `medborg staff …`: staff administration from the command line (the way in before any admin
 * exists, and for scripts). Bad input prints a clear message on stderr and exits 1; nothing is
 * half-done, since every change is one transaction.
 */
import { userInfo } from 'node:os';
import { Command, CommanderError } from 'commander';
import { environmentOf } from '../../kernel/config.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { SessionStore } from '../../kernel/http/index.ts';
import { pick, translate } from '../../kernel/i18n/index.ts';
import type { Runtime } from '../../runtime.ts';
import {
  allAccounts,
  bindOidcIdentity,
  createAccount,
  enrolTotp,
  getAccountByUsername,
  resetPassword,
  resetTotp,
  setAccountDisabled,
  unbindOidcIdentity,
  updateAccount,
  type StaffContext,
} from './accounts.ts';
import { StaffSecrets } from './secrets.ts';
import { groupSecret, totpUri } from './totp.ts';
import type { Actor, StaffAccount } from './types.ts';
import { StaffInputError, StaffNotFoundError } from './validation.ts';
import './messages.ts';

export interface StaffCliDeps {
  /** Opens configuration, tenants and the migrated database (src/runtime.ts; tests pass their own). */
  openRuntime(opts: { migrate: boolean }): Promise<Pick<Runtime, 'config' | 'tenants' | 'db'> & Partial<Pick<Runtime, 'catalogue'>>>;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

function cliActor(): Actor {
  let who = '';
  try {
    who = userInfo().username;
  } catch {
    // No passwd entry (some containers): the history says only that it came from the CLI.
  }
  return { id: null, label: who ? `cli:${who}` : 'cli' };
}

/** "admin, handler" → ['admin', 'handler']; "" → []. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A TOTP secret typed on a command line ends up in shell history and process lists: for demo and
 * test accounts only. Refused in production before anything is opened.
 */
function refuseTotpSecretInProduction(totpSecret: string | undefined, err: (line: string) => void, instead: string): void {
  if (!totpSecret || environmentOf() !== 'production') return;
  err(`error: --totp-secret is refused in production; ${instead}`);
  throw new CommanderError(1, 'medborg.staff.totpSecretInProduction', '--totp-secret is refused in production');
}

function status(a: StaffAccount): string {
  return a.disabledAt ? 'disabled' : 'active';
}

/** Adds the `staff` command group to the program. */
export function addStaffCommands(program: Command, deps: Partial<StaffCliDeps> = {}): Command {
  const out = deps.out ?? ((line: string) => process.stdout.write(line + '\n'));
  const err = deps.err ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = deps.now ?? (() => new Date());
  // Imported when a command runs, so loading the CLI does not load the runtime's dependencies.
  const open: StaffCliDeps['openRuntime'] = deps.openRuntime ?? (async (opts) => (await import('../../runtime.ts')).openRuntime(opts));

  /** Runs fn for one tenant; turns bad input into a message and exit code 1. */
  async function inTenant(tenantId: string, fn: (ctx: StaffContext) => Promise<void>): Promise<void> {
    const rt = await open({ migrate: true });
    let failure: string[] = [];
    try {
      const tenant = rt.tenants.byId(tenantId);
      if (!tenant) {
        failure = [`unknown tenant "${tenantId}" (tenants: ${rt.tenants.all.map((t) => t.id).join(', ')})`];
      } else {
        const sessions = new SessionStore(rt.config.sessionIdleMinutes * 60_000);
        await fn({
          tdb: tenantScope(rt.db, tenant.id),
          tenant,
          secrets: new StaffSecrets(rt.config.sessionSecret),
          now,
          endSessions: (q, id) => sessions.destroyAllFor(q, id),
          declaredRoles: rt.catalogue?.staffRoles(tenant.id) ?? [],
        });
      }
    } catch (e) {
      if (e instanceof StaffInputError) failure = e.issues.map((i) => translate('en', i.key, i.vars));
      else if (e instanceof StaffNotFoundError) failure = [e.message];
      else throw e;
    } finally {
      await rt.db.close();
    }
    if (failure.length) {
      for (const line of failure) err(`error: ${line}`);
      throw new CommanderError(1, 'medborg.staff.invalidInput', failure.join('; '));
    }
  }

  const staff = program.command('staff').description('staff accounts: create, list, disable, roles, departments, TOTP enrolment, resets, identity-provider bindings');

  staff
    .command('create')
    .description('create a staff account; prints a generated password when none is given (they change it at first sign-in)')
    .requiredOption('--tenant <id>', 'the municipality (tenant id from tenants.yaml)')
    .requiredOption('--username <username>', 'lower-case letters, digits, dots, hyphens, underscores')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--email <email>', 'e-mail address')
    .requiredOption('--roles <roles>', 'comma-separated: admin, handler, security_officer, or a role the tenant’s services declare')
    .option('--departments <ids>', 'comma-separated department ids from tenants.yaml', '')
    .option('--password <password>', 'initial password (at least 12 characters); better left out: one is generated')
    .option('--totp-secret <base32>', 'enrol this TOTP secret at once (demo and test accounts only)')
    .action(async (o: { tenant: string; username: string; name: string; email: string; roles: string; departments: string; password?: string; totpSecret?: string }) => {
      // In production the person enrols their own authenticator at first sign-in.
      refuseTotpSecretInProduction(o.totpSecret, err, 'the person sets up two-step verification at first sign-in');
      await inTenant(o.tenant, async (ctx) => {
        const r = await createAccount(
          ctx,
          {
            username: o.username,
            displayName: o.name,
            email: o.email,
            roles: commaList(o.roles),
            departments: commaList(o.departments),
            password: o.password,
            totpSecret: o.totpSecret,
            mustChangePassword: true,
          },
          cliActor(),
        );
        out(`created staff account ${r.account.username} in ${ctx.tenant.id} (id ${r.account.id})`);
        if (r.generatedPassword) out(`password: ${r.generatedPassword}  (shown once; to be changed at first sign-in)`);
        if (r.recoveryCodes.length) out(`recovery codes: ${r.recoveryCodes.join(' ')}`);
        if (!o.totpSecret) out('two-step verification is set up at first sign-in');
      });
    });

  staff
    .command('list')
    .description('list the staff accounts of a municipality')
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .option('--json', 'print a JSON array')
    .action(async (o: { tenant: string; json?: boolean }) => {
      await inTenant(o.tenant, async (ctx) => {
        const rows: StaffAccount[] = [];
        for await (const a of allAccounts(ctx)) rows.push(a);
        if (o.json) {
          out(
            JSON.stringify(
              rows.map((a) => ({
                tenant: ctx.tenant.id,
                id: a.id,
                username: a.username,
                displayName: a.displayName,
                email: a.email,
                roles: a.roles,
                departments: a.departments,
                disabled: a.disabledAt !== null,
                totpEnrolled: a.totpEnrolledAt !== null,
                lastSignInAt: a.lastSignInAt?.toISOString() ?? null,
                createdAt: a.createdAt.toISOString(),
              })),
              null,
              2,
            ),
          );
          return;
        }
        if (rows.length === 0) {
          out(`no staff accounts in ${ctx.tenant.id}`);
          return;
        }
        const table = [
          ['USERNAME', 'NAME', 'ROLES', 'DEPARTMENTS', 'STATUS', 'TOTP'],
          ...rows.map((a) => [a.username, a.displayName, a.roles.join(',') || '-', a.departments.join(',') || '-', status(a), a.totpEnrolledAt ? 'enrolled' : 'not enrolled']),
        ];
        const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
        for (const r of table) out(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
      });
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    staff
      .command(name)
      .description(disabled ? 'disable an account; its sessions end at once' : 'enable a disabled account')
      .requiredOption('--tenant <id>', 'the municipality (tenant id)')
      .requiredOption('--username <username>', 'the account')
      .action(async (o: { tenant: string; username: string }) => {
        await inTenant(o.tenant, async (ctx) => {
          const a = await getAccountByUsername(ctx, o.username);
          const changed = await setAccountDisabled(ctx, a.id, disabled, cliActor());
          if (!changed) out(`${a.username} is already ${disabled ? 'disabled' : 'enabled'}`);
          else out(disabled ? `disabled ${a.username}; their sessions have ended` : `enabled ${a.username}`);
        });
      });
  }

  staff
    .command('set-roles')
    .description('replace the roles of an account')
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .requiredOption('--username <username>', 'the account')
    .requiredOption('--roles <roles>', 'comma-separated: admin, handler, security_officer, or a role the tenant’s services declare ("" for none)')
    .action(async (o: { tenant: string; username: string; roles: string }) => {
      await inTenant(o.tenant, async (ctx) => {
        const a = await getAccountByUsername(ctx, o.username);
        await updateAccount(ctx, a.id, { roles: commaList(o.roles) }, cliActor());
        const after = await getAccountByUsername(ctx, o.username);
        out(`${after.username}: roles ${after.roles.join(', ') || '(none)'}`);
      });
    });

  staff
    .command('set-departments')
    .description('replace the departments of an account')
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .requiredOption('--username <username>', 'the account')
    .requiredOption('--departments <ids>', 'comma-separated department ids from tenants.yaml ("" for none)')
    .action(async (o: { tenant: string; username: string; departments: string }) => {
      await inTenant(o.tenant, async (ctx) => {
        const a = await getAccountByUsername(ctx, o.username);
        await updateAccount(ctx, a.id, { departments: commaList(o.departments) }, cliActor());
        const after = await getAccountByUsername(ctx, o.username);
        out(`${after.username}: departments ${after.departments.join(', ') || '(none)'}`);
      });
    });

  staff
    .command('reset-totp')
    .description('forget the TOTP secret and recovery codes: they enrol again at next sign-in; sessions end')
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .requiredOption('--username <username>', 'the account')
    .action(async (o: { tenant: string; username: string }) => {
      await inTenant(o.tenant, async (ctx) => {
        const a = await getAccountByUsername(ctx, o.username);
        await resetTotp(ctx, a.id, cliActor());
        out(`reset two-step verification of ${a.username}; they set it up again at next sign-in`);
      });
    });

  staff
    .command('enrol-totp')
    .description('enrol a new TOTP secret for an account: prints the secret, its otpauth:// URI and new recovery codes once; sessions end')
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .requiredOption('--username <username>', 'the account')
    .option('--totp-secret <base32>', 'enrol this secret instead of a generated one (demo and test accounts only)')
    .action(async (o: { tenant: string; username: string; totpSecret?: string }) => {
      refuseTotpSecretInProduction(o.totpSecret, err, 'leave it out and a secret is generated');
      await inTenant(o.tenant, async (ctx) => {
        const a = await getAccountByUsername(ctx, o.username);
        const r = await enrolTotp(ctx, a.id, o.totpSecret, cliActor());
        out(`enrolled a new TOTP secret for ${a.username}; the old one and its recovery codes no longer work, and their sessions have ended`);
        out(`secret: ${groupSecret(r.secret)}  (shown once; hand it to ${a.username} in a safe way)`);
        out(`otpauth URI: ${totpUri(r.secret, pick(ctx.tenant.name, 'sv'), a.username)}`);
        out(`recovery codes: ${r.recoveryCodes.join(' ')}`);
      });
    });

  staff
    .command('reset-password')
    .description('set a new password (generated when none is given); they change it at next sign-in; sessions end')
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .requiredOption('--username <username>', 'the account')
    .option('--password <password>', 'the new password (at least 12 characters); better left out: one is generated')
    .action(async (o: { tenant: string; username: string; password?: string }) => {
      await inTenant(o.tenant, async (ctx) => {
        const a = await getAccountByUsername(ctx, o.username);
        const generated = await resetPassword(ctx, a.id, o.password, cliActor());
        out(`reset the password of ${a.username}; their sessions have ended`);
        if (generated) out(`password: ${generated}  (shown once; to be changed at next sign-in)`);
      });
    });

  staff
    .command('bind-oidc')
    .description("bind an account to an identity (the sub claim) at its municipality's own identity provider (tenants.yaml staffOidc): that identity then signs in as the account there, and nowhere else")
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .requiredOption('--username <username>', 'the account')
    .requiredOption('--subject <sub>', "the person's subject at the provider (the sub claim, e.g. Entra ID's object-bound id), never a name or e-mail address")
    .action(async (o: { tenant: string; username: string; subject: string }) => {
      await inTenant(o.tenant, async (ctx) => {
        const a = await getAccountByUsername(ctx, o.username);
        const bound = await bindOidcIdentity(ctx, a.id, o.subject, cliActor());
        out(`bound ${a.username} in ${ctx.tenant.id} to subject ${bound.subject} at ${bound.issuer}`);
      });
    });

  staff
    .command('unbind-oidc')
    .description("remove an account's binding to its municipality's identity provider; its sessions end")
    .requiredOption('--tenant <id>', 'the municipality (tenant id)')
    .requiredOption('--username <username>', 'the account')
    .action(async (o: { tenant: string; username: string }) => {
      await inTenant(o.tenant, async (ctx) => {
        const a = await getAccountByUsername(ctx, o.username);
        const removed = await unbindOidcIdentity(ctx, a.id, cliActor());
        out(removed ? `unbound ${a.username} in ${ctx.tenant.id}; their sessions have ended` : `${a.username} is not bound to an identity`);
      });
    });

  return staff;
}
