/**
 * Multipart forms (file uploads), read only once the sender may send them. A multipart body is not
 * read when the request arrives: before the route runs, the kernel refuses one without a session,
 * one to a route that takes no files, and one longer than the route's limits allow — without reading
 * a byte of it, and the connection is closed after the answer so the rest is never taken in. The
 * route then reads the form here: the CSRF token (the X-CSRF-Token header, or the form's `_csrf`
 * field, which our forms put before their file inputs) is checked before the first file is read,
 * and each file is kept in memory only up to its limit. See docs/adr/0008-uploads.md.
 */
import { finished } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { AppError } from '../errors.ts';

export interface FileInputLimits {
  /** The field the files come in (`<input type="file" name=…>`); a file in any other field is refused. */
  fileField: string;
  maxFiles: number;
  maxFileBytes: number;
}

export interface MultipartLimits extends FileInputLimits {
  /** Other file inputs of the same form, each with its own limits (a form step asking for a certificate and a photo). */
  moreFiles?: FileInputLimits[];
  /** Text fields the form may send besides its files (default 10): a form step has one or more per question. */
  maxFields?: number;
}

/**
 * What a route's `config.multipart` says: its limits, or — when they depend on what is posted to
 * (a form step's file questions) — a function that works them out from the URL, the session and
 * the database, without reading the body; undefined refuses the upload (the step takes no files).
 */
export type MultipartConfig = MultipartLimits | ((req: FastifyRequest) => Promise<MultipartLimits | undefined>);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route takes a multipart form with files, within these limits (readMultipartForm reads it). */
    multipart?: MultipartConfig;
  }
  interface FastifyRequest {
    /** The limits of this request's multipart form, once the kernel has worked them out. */
    multipartLimits?: MultipartLimits;
  }
}

/** Room for the text fields, part headers and boundaries beside the files. */
const FIELD_COUNT = 10;
const FIELD_BYTES = 64 * 1024;
const allowance = (fields: number) => fields * FIELD_BYTES + 256 * 1024;

/** Every file input of a form with its limits. */
const inputsOf = (limits: MultipartLimits): FileInputLimits[] => [limits, ...(limits.moreFiles ?? [])];

export interface UploadedFile {
  /** The file input it came in. */
  field: string;
  filename: string;
  /** The file's bytes; empty when it was larger than the limit (they were not kept). */
  data: Buffer;
  tooLarge: boolean;
}

export interface MultipartForm {
  /** A text field's value when it was sent exactly once; NUL removed, lone surrogates replaced. */
  field(name: string): string | undefined;
  /**
   * Reads the files, once the route has decided the sender may send them: at most the route's
   * maxFiles, in the order sent, empty file inputs left out. tooManyFiles: more were sent (and not kept).
   */
  files(): Promise<{ files: UploadedFile[]; tooManyFiles: boolean; tooManyIn: string[] }>;
  /** Every text field, a repeated one as a list (call after files(): fields after a file are read with it). */
  all(): Record<string, string | string[]>;
}

/** The most a multipart body to a route with these limits may be. */
export function maxMultipartBytes(limits: MultipartLimits): number {
  return inputsOf(limits).reduce((sum, i) => sum + i.maxFiles * i.maxFileBytes, 0) + allowance(limits.maxFields ?? FIELD_COUNT);
}

/**
 * Run by the kernel before the route, with nothing of the body read yet. Throws unless the route
 * takes files, the request has a session (and the header token, when one is sent, is its own) and
 * the declared length is within the route's limits. Browsers always send a Content-Length with a
 * form; a body without one could not be refused before it is read, so it is refused.
 */
export async function assertMultipartMayBeRead(req: FastifyRequest, assertCsrf: (req: FastifyRequest) => void): Promise<void> {
  const config = req.routeOptions.config?.multipart;
  if (!config) throw new AppError('BAD_REQUEST');
  if (!req.session) throw new AppError('CSRF_INVALID');
  if (req.headers['x-csrf-token'] !== undefined) assertCsrf(req);
  const limits = typeof config === 'function' ? await config(req) : config;
  if (!limits) throw new AppError('BAD_REQUEST');
  req.multipartLimits = limits;
  const length = Number(req.headers['content-length']);
  if (!req.headers['content-length'] || !Number.isSafeInteger(length)) throw new AppError('BAD_REQUEST');
  if (length > maxMultipartBytes(limits)) throw new AppError('PAYLOAD_TOO_LARGE');
}

// What busboy throws, without a status, for a body that is cut short, has no boundary, or breaks
// off inside a part: the sender's fault, so the translated 400 page rather than a 500.
const BROKEN_MULTIPART = /^(Multipart: |Boundary required$|Unexpected end of (multipart data|form)$|Malformed part header$)|terminated early/;

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || BROKEN_MULTIPART.test(err.message)) throw new AppError('BAD_REQUEST');
    throw e;
  }
}

/**
 * Reads the route's multipart form up to its first file (the kernel's readMultipartForm binds the
 * checks): `checkToken` is called with the form's `_csrf` value(s) then, before any file byte is
 * read. The route authorises the sender and only then reads the files; when it does not (it throws
 * or redirects), the rest of the body is never read and the connection is closed after the answer.
 */
export async function readForm(req: FastifyRequest, checkToken: (formToken: unknown) => void, clean: (value: string) => string): Promise<MultipartForm> {
  const limits = req.multipartLimits;
  if (!limits) throw new Error(`${req.routeOptions.url} reads a multipart form without declaring config.multipart`);
  const inputs = inputsOf(limits);
  const totalFiles = inputs.reduce((n, i) => n + i.maxFiles, 0);
  const maxFields = limits.maxFields ?? FIELD_COUNT;
  const fields = new Map<string, string[]>();
  const parts = req.parts({
    // One file more than allowed, so that the form can say "too many"; busboy refuses the next.
    limits: { fileSize: Math.max(...inputs.map((i) => i.maxFileBytes)) + 1, files: totalFiles + 1, fields: maxFields, fieldSize: FIELD_BYTES, parts: totalFiles + maxFields + 2 },
  });

  /** The next file part, keeping the fields before it; undefined at the end of the form. */
  const nextFile = async (): Promise<MultipartFile | undefined> => {
    for (;;) {
      const { value: part, done } = await parts.next();
      if (done) return undefined;
      if (part.type === 'file') return part;
      if (typeof part.value !== 'string') throw new AppError('BAD_REQUEST');
      const name = clean(part.fieldname);
      fields.set(name, [...(fields.get(name) ?? []), clean(part.value)]);
    }
  };

  let pending = await mapped(nextFile());
  // A file (or the end) is reached: nothing of a file has been read before the token is this session's.
  const token = fields.get('_csrf');
  checkToken(token === undefined ? undefined : token.length === 1 ? token[0] : token);

  return {
    field: (name) => {
      const values = fields.get(name);
      return values?.length === 1 ? values[0] : undefined;
    },
    files: () =>
      mapped(
        (async () => {
          const files: UploadedFile[] = [];
          const tooManyIn = new Set<string>();
          let tooManyFiles = false;
          // busboy stops at the limit (maxFiles + 1) by failing the iterator: beyond it is "too many" too.
          const next = () =>
            nextFile().catch((e: Error & { code?: string }) => {
              if (e.code !== 'FST_FILES_LIMIT') throw e;
              tooManyFiles = true;
              return undefined;
            });
          for (let part = pending; part; part = await next()) {
            pending = undefined;
            const input = inputs.find((i) => i.fileField === part.fieldname);
            if (!input) throw new AppError('BAD_REQUEST');
            if (part.filename && files.filter((f) => f.field === input.fileField).length < input.maxFiles) {
              files.push({ field: input.fileField, ...(await bounded(part.file, part.filename, input.maxFileBytes)) });
              continue;
            }
            // An empty file input, or one file too many: read past it without keeping it.
            if (part.filename) {
              tooManyFiles = true;
              tooManyIn.add(input.fileField);
            }
            await finished(part.file.resume());
          }
          return { files, tooManyFiles, tooManyIn: [...tooManyIn] };
        })(),
      ),
    all: () => Object.fromEntries([...fields].map(([name, values]) => [name, values.length === 1 ? values[0]! : values])),
  };
}
/** A file's bytes up to the limit; past it the chunks kept so far are let go and the rest discarded by busboy. */
async function bounded(stream: AsyncIterable<Buffer> & { truncated?: boolean }, filename: string, maxBytes: number): Promise<Omit<UploadedFile, 'field'>> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of stream) {
    if (tooLarge) continue;
    size += chunk.length;
    if (size > maxBytes) {
      tooLarge = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  return { filename, data: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks, size), tooLarge: tooLarge || stream.truncated === true };
}
