/** `referralReply`: the handler records the external party's reply to a referral, its text and files. */
import { actionsOf } from '../../catalogue/index.ts';
import { fileRefs } from './supplement.ts';
import type { ActionKindHandler } from './types.ts';

export const referralReply: ActionKindHandler = {
  input: 'textFiles',
  journal: 'referral_replied',
  residentSees: true,
  residentSeesBody: false,
  apply: async ({ tx, input, def, c }) => {
    await input.recordFiles?.(tx);
    // The party replying is the one the referral named: found through the refer action that leads here.
    const referral = actionsOf(def).find((a) => a.kind === 'refer' && a.to === c.status);
    return { payload: { body: input.text ?? '', attachments: fileRefs(input.files), ...(referral?.party ? { party: referral.party } : {}) } };
  },
};
