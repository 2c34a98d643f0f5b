/** `supplement`: the applicant's reply to a request, with text and files. */
import type { ActionKindHandler } from './types.ts';

export const supplement: ActionKindHandler = {
  input: 'textFiles',
  journal: 'supplement_received',
  residentSees: true,
  residentSeesBody: true,
  apply: async ({ tx, input }) => {
    await input.recordFiles?.(tx);
    return { payload: { body: input.text ?? '', attachments: fileRefs(input.files) } };
  },
};

export const fileRefs = (files: import('./types.ts').AttachmentRef[] | undefined) =>
  (files ?? []).map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes, sha256: f.sha256 }));
