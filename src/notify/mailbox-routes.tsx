/**
 * /dev/mailbox: the demo mailbox, registered only in demo mode (otherwise the path is a plain 404).
 * It shows the current tenant's mail only: every read goes through the request's tenant scope.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';
import { findMailboxMessage, listMailbox } from './dev-mailbox.repository.ts';
import { MailboxListPage, MailboxMessagePage } from './mailbox-views.tsx';
import './messages.ts';

const PAGE_SIZE = 50;

/**
 * Whether a link in a message points to this site, and so may be clickable: the origin the page
 * was requested on, or BASE_URL when its host belongs to the same municipality. Anything else
 * stays text, so the demo mailbox cannot be used to send someone elsewhere with a click.
 */
function localLinkTest(app: FastifyInstance, req: FastifyRequest): (url: string) => boolean {
  const origins = new Set<string>();
  try {
    origins.add(new URL(`${req.protocol}://${req.host}`).origin);
  } catch {
    // An unparsable Host cannot reach a tenant; nothing is local then.
  }
  const base = new URL(app.appConfig.baseUrl);
  if (app.tenants.forHost(base.host)?.id === req.tenant.id) origins.add(base.origin);
  return (url) => {
    try {
      const u = new URL(url);
      return (u.protocol === 'http:' || u.protocol === 'https:') && origins.has(u.origin);
    } catch {
      return false;
    }
  };
}

export async function mailboxRoutes(app: FastifyInstance): Promise<void> {
  app.get('/dev/mailbox', async (req, reply) => {
    const { before } = req.query as { before?: unknown };
    const cursor = isUuid(before) ? before : undefined;
    const { messages, more } = await listMailbox(req.tdb, { limit: PAGE_SIZE, before: cursor });
    const last = messages.at(-1);
    const olderHref = more && last ? `/dev/mailbox?before=${last.id}` : undefined;
    return reply.page(<MailboxListPage ctx={req.viewContext()} messages={messages} olderHref={olderHref} paged={cursor !== undefined} />);
  });

  app.get('/dev/mailbox/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw new AppError('NOT_FOUND');
    const message = await findMailboxMessage(req.tdb, id);
    if (!message) throw new AppError('NOT_FOUND');
    return reply.page(<MailboxMessagePage ctx={req.viewContext()} message={message} from={message.from ?? app.appConfig.smtp.from} isLocal={localLinkTest(app, req)} />);
  });
}
