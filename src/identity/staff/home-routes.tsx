/** The staff home page (/staff) and the change-password page (/staff/password). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { StaffContext } from './accounts.ts';
import { changeOwnPassword } from './authentication.ts';
import { queryParam, textField } from './form.ts';
import { countUnusedRecoveryCodes } from './repository.ts';
import { loadSignedInStaff } from './require-staff.ts';
import { toMember, type StaffMember } from './types.ts';
import { ChangePasswordPage, StaffHomePage } from './views/home-pages.tsx';
import { toFieldErrors } from './views/shared.tsx';

/**
 * A part of the staff home page contributed by another module (the case inbox, for one): it gets
 * the request and the signed-in member and returns what to show, or null to show nothing.
 */
export type StaffHomeSection = (req: FastifyRequest, staff: StaffMember) => Promise<VNode | null> | VNode | null;

export function registerHomeRoutes(app: FastifyInstance, contextFor: (req: FastifyRequest) => StaffContext, sections: readonly StaffHomeSection[]): void {
  app.get('/staff', async (req, reply) => {
    const account = await loadSignedInStaff(req, reply);
    if (!account) return reply;
    const staff = toMember(account);
    const rendered = (await Promise.all(sections.map((s) => s(req, staff)))).filter((v): v is VNode => v !== null);
    return reply.page(
      <StaffHomePage
        ctx={req.viewContext()}
        staff={staff}
        recoveryCodesLeft={await countUnusedRecoveryCodes(req.tdb, account.id)}
        passwordChanged={queryParam(req.query, 'password-changed') === '1'}
        sections={rendered}
        declared={contextFor(req).declaredRoles ?? []}
      />,
    );
  });

  app.get('/staff/password', async (req, reply) => {
    const account = await loadSignedInStaff(req, reply, { passwordChangePage: true });
    if (!account) return reply;
    return reply.page(<ChangePasswordPage ctx={req.viewContext()} mustChange={account.passwordMustChange} errors={[]} />);
  });

  app.post('/staff/password', async (req, reply) => {
    const account = await loadSignedInStaff(req, reply, { passwordChangePage: true });
    if (!account) return reply;
    const issues = await changeOwnPassword(contextFor(req), account, {
      current: textField(req.body, 'currentPassword', true),
      next: textField(req.body, 'newPassword', true),
      confirm: textField(req.body, 'confirmPassword', true),
    });
    if (issues.length) {
      return reply.page(<ChangePasswordPage ctx={req.viewContext()} mustChange={account.passwordMustChange} errors={toFieldErrors(req.t, issues)} />, 400);
    }
    // Every session of the account ended with the change; this browser continues in a new one.
    await app.sessions.start(req, reply, 'staff', account.id, { displayName: account.displayName });
    return reply.redirect('/staff?password-changed=1', 303);
  });
}
