/** The cases module's HTTP face: My cases for residents and the handler's workspace. */
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { AppError } from '../kernel/errors.ts';
import { MAX_FILE_BYTES, MAX_FILES } from './attachments.ts';
import { residentCaseRoutes } from './resident-routes.tsx';
import { handlerRoutes } from './handler-routes.tsx';

const BROKEN_MULTIPART = /^(Multipart: |Boundary required$|Unexpected end of (multipart data|form)$|Malformed part header$)|terminated early/;

export async function casesPlugin(app: FastifyInstance): Promise<void> {
  // Files are buffered (at most MAX_FILES × MAX_FILE_BYTES) so the CSRF check and validation see
  // the whole form before anything is stored.
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: MAX_FILE_BYTES + 1, files: MAX_FILES + 1, fields: 10, fieldSize: 64 * 1024, parts: MAX_FILES + 12 },
    throwFileSizeLimit: false,
  });
  // The kernel strips NUL from posted strings before multipart bodies are read: do it here too.
  app.addHook('preValidation', async (req) => {
    if (!req.isMultipart() || !req.body || typeof req.body !== 'object') return;
    for (const part of Object.values(req.body as Record<string, unknown>).flat()) {
      const field = part as { type?: unknown; value?: unknown };
      if (field?.type === 'field' && typeof field.value === 'string') field.value = field.value.replace(/\u0000/g, '');
    }
  });
  // A multipart body that is cut short, has no boundary, or passes a limit while a file is being
  // read makes busboy throw plain errors (no status): the sender's fault, so the translated 400
  // page rather than a 500. Anything else goes on to the kernel's error handler.
  app.setErrorHandler((err: Error & { code?: string }) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || BROKEN_MULTIPART.test(err.message)) throw new AppError('BAD_REQUEST');
    throw err;
  });
  await app.register(residentCaseRoutes);
  await app.register(handlerRoutes);
}
